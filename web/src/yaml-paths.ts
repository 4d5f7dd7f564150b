import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/**
 * The 1-based line of a config error path (`health.components.engagement.weight`,
 * `alerts.rules[2].channel`) in a YAML text, so the editor can mark where the server's 422
 * points. Keys may themselves hold dots (metric names such as `feature.reports`), so each map
 * level takes the longest key that matches the rest of the path. When the path stops part-way
 * (a missing key is reported on its parent), the deepest node found is used; null when even
 * the first segment is absent or the text does not parse.
 */
export function lineOfPath(text: string, path: string): number | null {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, keepSourceTokens: false });
  if (document.errors.length > 0 && !document.contents) return null;
  let node: unknown = document.contents;
  let rest = path;
  let line: number | null = null;
  while (rest.length > 0) {
    if (isSeq(node)) {
      const match = /^\[(\d+)\]\.?/.exec(rest);
      if (!match) break;
      const item = node.items[Number(match[1])] as Node | undefined;
      if (!item) break;
      line = lineAt(lineCounter, item);
      node = item;
      rest = rest.slice(match[0].length);
      continue;
    }
    if (!isMap(node)) break;
    let best: { pair: (typeof node.items)[number]; key: string } | undefined;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const fits = rest === key || rest.startsWith(`${key}.`) || rest.startsWith(`${key}[`);
      if (fits && (!best || key.length > best.key.length)) best = { pair, key };
    }
    if (!best) break;
    line = lineAt(lineCounter, best.pair.key as Node);
    node = best.pair.value;
    rest = rest.slice(best.key.length).replace(/^\./, '');
  }
  return line;
}

function lineAt(lineCounter: LineCounter, node: Node): number | null {
  const offset = node.range?.[0];
  return offset === undefined ? null : lineCounter.linePos(offset).line;
}
