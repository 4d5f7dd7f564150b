import { bootLog, closeOnSignals, exitOnDatabaseLoss, startService } from './bootstrap.js';

try {
  const running = await startService();
  closeOnSignals(running);
  exitOnDatabaseLoss(running);
  if (running.env.WORKER_ONLY === 'true') bootLog('info', 'Health Signals worker running (WORKER_ONLY=true: no HTTP server)');
  else bootLog('info', `Health Signals listening on ${running.url} (API docs: ${running.url}/docs)${running.env.SERVE_ONLY === 'true' ? '; SERVE_ONLY=true: runs and other background work are left to WORKER_ONLY processes' : ''}`);
} catch (error) {
  bootLog('error', error instanceof Error ? error.message : String(error));
  process.exit(1);
}
