/**
 * Reads of the items of a sequence (a backtest's dates) started one item ahead: `take(i)` answers
 * item i's read, started earlier or now, and starts item i + 1's, so the next item's queries run
 * while the caller works on this one. Each read is held until taken, once.
 */
export class ReadAhead<T> {
  private readonly started = new Map<number, Promise<T>>();

  constructor(
    private readonly count: number,
    private readonly read: (index: number) => Promise<T>,
  ) {}

  /** Starts item `index`'s read unless it is under way (out-of-range indices are ignored). */
  start(index: number): void {
    if (index < 0 || index >= this.count || this.started.has(index)) return;
    const reading = this.read(index);
    reading.catch(() => undefined); // awaited in take(); this keeps a failure meanwhile from going unhandled
    this.started.set(index, reading);
  }

  /** Item `index`'s read (the one started ahead, if any), and the next item's started. */
  take(index: number): Promise<T> {
    this.start(index);
    const reading = this.started.get(index)!;
    this.started.delete(index);
    this.start(index + 1);
    return reading;
  }
}
