/**
 * Crash tests need a process stopped at an exact point (after a run's commit, before any
 * after-run work) to kill it there with SIGKILL. With `HS_TEST_PAUSE_AT=<point>` set, the
 * process prints `paused at <point>` on stderr and waits forever at that point; unset (always,
 * outside tests) this does nothing. See docs/architecture.md, "After a run". `shard-staged`:
 * a shard's scores are staged, its transaction not yet committed (docs/scaling.md).
 */
export async function testPausePoint(point: 'after-run-commit' | 'shard-staged', detail: string): Promise<void> {
  if (process.env.HS_TEST_PAUSE_AT !== point) return;
  process.stderr.write(`paused at ${point} (${detail})\n`);
  await new Promise<never>(() => undefined);
}
