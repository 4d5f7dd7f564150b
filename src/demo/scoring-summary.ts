/**
 * ─── PLACEHOLDER for the scoring engineer ────────────────────────────────────────────────────
 * `npm run demo` calls this once the tenant is loaded. Fill it in to start a scoring run
 * (`POST /v1/runs`), wait for it (`GET /v1/runs/{id}`), and print the top at-risk
 * (`GET /v1/lists/at-risk?limit=5`) and expansion (`GET /v1/lists/expansion?limit=5`) accounts
 * with their drivers. It lives in its own file so that work does not touch the demo's loader.
 * ──────────────────────────────────────────────────────────────────────────────────────────────
 */
export async function printScoringSummary(baseUrl: string, key: string, log: (line: string) => void = console.log): Promise<void> {
  // TODO(scoring): replace this with a real run + list summary; `key` is the admin key.
  void key;
  log('Scoring summary: not wired into the demo yet. Start a run yourself:');
  log(`  curl -s -X POST -H "Authorization: Bearer <admin key>" -H "Content-Type: application/json" -d '{}' ${baseUrl}/v1/runs`);
}
