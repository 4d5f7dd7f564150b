import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { api, ok } from '../api/client';
import type { RunView } from '../api/views';
import { useSession } from '../session-context';
import { dateTime } from '../format';

/** The lists show the last good run; when the newest run failed, say so above them (to those who can read runs). */
export function LastRunBanner() {
  const [failed, setFailed] = useState<RunView | null>(null);
  const onRuns = useLocation().pathname === '/runs';
  // Runs are readable by revops and admin keys only; other roles would get a 403.
  const { me } = useSession();
  const readsRuns = me?.role === 'revops' || me?.role === 'admin';
  useEffect(() => {
    if (!readsRuns) return;
    ok(api.GET('/v1/runs', { params: { query: { limit: 1 } } })).then(
      (page) => setFailed(page.items[0]?.status === 'failed' ? page.items[0] : null),
      () => setFailed(null),
    );
  }, [readsRuns]);
  if (!failed) return null;
  return (
    <div className="banner" role="alert">
      <strong>The last scoring run failed</strong> (as of {failed.asOf}, {dateTime(failed.finishedAt)}): {failed.error ?? 'no reason recorded'}. The figures below come from the last run that succeeded.{' '}
      {!onRuns && <Link to="/runs">See runs</Link>}
    </div>
  );
}
