/**
 * A background loop that runs one pass at a time in this process: a kick during a pass asks for
 * one more pass afterwards, a poll timer catches work queued by other processes, and stop() lets
 * the current pass finish. The queues behind it live in PostgreSQL; this only avoids overlapping
 * passes inside one process.
 */
export class SingleFlightLoop {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** True once stop() was called: long passes check it between items. */
  get stopping(): boolean {
    return this.stopped;
  }

  /**
   * Polls every `intervalMs` (without keeping the process alive) and starts a first pass; in a
   * process that only serves HTTP (SERVE_ONLY=true) the loop is off instead, kicks do nothing,
   * and the work queued waits for a worker process's poll.
   */
  start(intervalMs: number, env: { SERVE_ONLY: 'true' | 'false' }): void {
    if (env.SERVE_ONLY === 'true') {
      this.stopped = true;
      return;
    }
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.kick();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch(this.onError)
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
