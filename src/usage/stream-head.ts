/** The bytes read before the first line break, and that first line as text. */
export interface StreamHead {
  /** Everything read so far (the first line and possibly more); it must still be passed on. */
  head: Buffer;
  /** The first line without its line break; null when none was found within the byte limit. */
  firstLine: string | null;
  /** The stream ended within the bytes read. */
  ended: boolean;
}

/**
 * Reads chunks until the first line break (LF, CRLF or a lone CR), at most `maxBytes`.
 * The caller keeps iterating the same iterator for the rest, so nothing is read twice or buffered.
 */
export async function readFirstLine(chunks: AsyncIterator<Buffer>, maxBytes: number): Promise<StreamHead> {
  const parts: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await chunks.next();
    if (next.done) {
      const head = Buffer.concat(parts, size);
      const at = lineBreakAt(head);
      return { head, firstLine: head.subarray(0, at >= 0 ? at : head.length).toString('utf8'), ended: true };
    }
    const chunk = next.value;
    parts.push(chunk);
    size += chunk.length;
    const head = Buffer.concat(parts, size);
    const at = lineBreakAt(head);
    if (at >= 0) return { head, firstLine: head.subarray(0, at).toString('utf8'), ended: false };
    if (size > maxBytes) return { head, firstLine: null, ended: false };
  }
}

function lineBreakAt(bytes: Buffer): number {
  const lf = bytes.indexOf(0x0a);
  const cr = bytes.indexOf(0x0d);
  if (lf < 0) return cr;
  if (cr < 0) return lf;
  return Math.min(lf, cr);
}

/** `head` followed by the rest of `chunks`, as one async sequence to stream onward. */
export async function* prependChunk(head: Buffer, chunks: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  for (;;) {
    const next = await chunks.next();
    if (next.done) return;
    yield next.value;
  }
}
