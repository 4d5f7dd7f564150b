import { bootLog, closeOnSignals, startService } from './bootstrap.js';

try {
  const running = await startService();
  closeOnSignals(running);
  // The embedded database is this process's child: without it every request and loop fails, and
  // nothing would start it again. Exiting lets the supervisor restart both (README "Running in production").
  running.onEmbeddedDatabaseExit((pid) => {
    bootLog('error', `the embedded PostgreSQL (pid ${pid}) has exited; stopping, so that a restart starts it again`);
    process.exit(1);
  });
  if (running.env.WORKER_ONLY === 'true') bootLog('info', 'Health Signals worker running (WORKER_ONLY=true: no HTTP server)');
  else bootLog('info', `Health Signals listening on ${running.url} (API docs: ${running.url}/docs)${running.env.SERVE_ONLY === 'true' ? '; SERVE_ONLY=true: runs and other background work are left to WORKER_ONLY processes' : ''}`);
} catch (error) {
  bootLog('error', error instanceof Error ? error.message : String(error));
  process.exit(1);
}
