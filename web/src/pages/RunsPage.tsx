import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { LastRunBanner } from "../components/LastRunBanner";
import { api, ok } from '../api/client';
import type { RunView } from '../api/views';
import { Empty, ErrorMessage, Skeleton } from '../components/ui';
import { dateTime, duration, integer } from '../format';
import { useSession } from '../session-context';

export default function RunsPage() {
  const { me } = useSession();
  const [runs, setRuns] = useState<RunView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [asOf, setAsOf] = useState('');
  const [notice, setNotice] = useState<string>();

  const load = useCallback(async (after?: string) => {
    setLoading(true);
    try {
      const page = await ok(api.GET('/v1/runs', { params: { query: { limit: 25, ...(after ? { cursor: after } : {}) } } }));
      setRuns((old) => (after ? [...old, ...page.items] : page.items));
      if (!after) setCursor(page.nextCursor);
      else setCursor(page.nextCursor);
      setError(undefined);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  // While a run is queued or running, follow its progress.
  const busy = runs.some((r) => r.status === 'queued' || r.status === 'running');
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => void load(), 1500);
    return () => clearInterval(timer);
  }, [busy, load]);

  const start = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(undefined);
    setError(undefined);
    try {
      const run = await ok(api.POST('/v1/runs', { body: asOf ? { asOf } : {} }));
      setNotice(`Run queued for ${run.asOf}.`);
      await load();
    } catch (caught) {
      setError(caught);
    }
  };

  const canStart = me?.role === 'revops' || me?.role === 'admin';
  return (
    <div className="page">
      <LastRunBanner />
      <div className="page-head"><h1>Scoring runs</h1></div>
      {canStart && (
        <form className="inline card" onSubmit={start} aria-label="Start a run">
          <label>As of (empty: yesterday)<input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} /></label>
          <button type="submit">Run now</button>
        </form>
      )}
      {notice && <p className="success" role="status">{notice}</p>}
      {error !== undefined && <ErrorMessage error={error} />}
      {loading && runs.length === 0 && <Skeleton rows={6} />}
      {!loading && runs.length === 0 && error === undefined && <Empty>No run yet. Runs happen on the configured schedule{canStart ? ', or start one above' : ''}.</Empty>}
      {runs.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr><th scope="col">As of</th><th scope="col">Status</th><th scope="col">Config</th><th scope="col" className="num">Accounts</th><th scope="col">Timings</th><th scope="col">Started</th><th scope="col">By</th><th scope="col">Error</th></tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} data-run-status={run.status}>
                  <td className="nowrap">{run.asOf}</td>
                  <td className="nowrap"><span className={`status status-${run.status}`}>{run.status === 'failed' ? '✖ failed' : run.status === 'succeeded' ? '✔ succeeded' : `… ${run.status}`}</span></td>
                  <td>{run.configVersion ? `v${run.configVersion}` : '—'}</td>
                  <td className="num">{integer(run.accountsScored)}{run.accountsTotal !== null ? ` / ${integer(run.accountsTotal)}` : ''}</td>
                  <td>{Object.entries(run.timings).map(([k, v]) => `${k.replace(/Ms$/, '')} ${duration(v)}`).join(' · ') || '—'}</td>
                  <td>{dateTime(run.startedAt ?? run.createdAt)}</td>
                  <td>{run.requestedBy ?? run.trigger}</td>
                  <td>{run.error ? <span className="run-error" role="note">{run.error}</span> : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && <p className="more"><button type="button" onClick={() => load(cursor)} disabled={loading}>Load more</button></p>}
    </div>
  );
}
