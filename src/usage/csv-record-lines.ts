/**
 * Where each CSV record starts in the file. COPY numbers staged rows by record (the staging
 * table's identity), and a quoted field holding a line break makes a record span several
 * lines, after which record numbers and the file's line numbers drift apart. This follows the
 * bytes on their way to COPY and keeps only the records where the distance changes, so error
 * messages can name the line an editor shows. Chunks without a quote take a fast path
 * (newlines counted natively), so a plain file costs next to nothing.
 */
const QUOTE = 0x22;
const LF = 0x0a;

export class CsvRecordLines {
  /** Record number (1 = header) → how many lines after its number it starts, from that record on. */
  private readonly shifts: Array<{ fromRecord: number; extraLines: number }> = [];
  private inQuotes = false;
  /** Record currently being read and the extra lines accumulated so far. */
  private record = 1;
  private extra = 0;

  feed(chunk: Buffer): void {
    // Fast path: outside quotes, no quote ahead and no shift waiting for its record to end.
    if (!this.inQuotes && (this.shifts.at(-1)?.extraLines ?? 0) === this.extra && chunk.indexOf(QUOTE) === -1) {
      for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) this.record += 1;
      return;
    }
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i];
      if (byte === QUOTE) {
        this.inQuotes = !this.inQuotes;
      } else if (byte === LF) {
        if (this.inQuotes) {
          this.extra += 1;
        } else {
          this.record += 1;
          const last = this.shifts.at(-1);
          if ((last?.extraLines ?? 0) !== this.extra) this.shifts.push({ fromRecord: this.record, extraLines: this.extra });
        }
      }
    }
  }

  /** The file line on which record `record` (1-based, header included) starts. */
  lineOf(record: number): number {
    let extra = 0;
    for (const shift of this.shifts) {
      if (shift.fromRecord > record) break;
      extra = shift.extraLines;
    }
    return record + extra;
  }

  /** Passes chunks through unchanged, following them. */
  async *track(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      this.feed(chunk);
      yield chunk;
    }
  }
}
