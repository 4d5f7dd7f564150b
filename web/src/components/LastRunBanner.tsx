import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { api, ok } from '../api/client';
import type { LatestRunStatus } from '../api/views';
import { useSession } from '../session-context';
import { dateTime } from '../format';

/**
 * The lists show the last good run; when the newest run failed, say so above them, to every
 * role (GET /v1/runs/latest-status carries no error text: revops and admin find it on Runs).
 */
export function LastRunBanner() {
  const [status, setStatus] = useState<LatestRunStatus | null>(null);
  const onRuns = useLocation().pathname === '/runs';
  const { me } = useSession();
  const readsRuns = me?.role === 'revops' || me?.role === 'admin';
  useEffect(() => {
    if (!me) return;
    ok(api.GET('/v1/runs/latest-status')).then(setStatus, () => setStatus(null));
  }, [me]);
  const failed = status?.latest?.status === 'failed' ? status.latest : null;
  if (!failed) return null;
  const good = status?.lastSucceeded;
  return (
    <div className="banner" role="alert">
      <strong>The last scoring run failed</strong> (as of {failed.asOf}, {dateTime(failed.finishedAt)}).{' '}
      {good ? `The figures shown come from the last run that succeeded, as of ${good.asOf}.` : 'No run has succeeded yet.'}{' '}
      {readsRuns ? !onRuns && <Link to="/runs">See why on Runs</Link> : 'RevOps can see why on the Runs page.'}
    </div>
  );
}
