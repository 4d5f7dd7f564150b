import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../api/client';
import type { components } from '../api/schema.gen';
import { Empty, ErrorMessage, Skeleton } from '../components/ui';
import { addDays, dateTime, todayUtc } from '../format';
import { useSession } from '../session-context';

type Alert = components['schemas']['AlertView'];
type Status = 'open' | 'snoozed' | 'dismissed';
const TABS: Array<[Status, string]> = [['open', 'Open'], ['snoozed', 'Snoozed'], ['dismissed', 'Dismissed']];
const RULE_WORDS: Record<string, string> = { at_risk: 'At risk', expansion_lead: 'Expansion lead', usage_limit: 'Usage limit' };

export default function AlertsPage() {
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as Status | null) ?? 'open';
  return (
    <div className="page">
      <div className="page-head"><h1>Alerts</h1></div>
      <div className="tabs" role="tablist" aria-label="Alert status">
        {TABS.map(([value, label]) => (
          <button key={value} id={`tab-${value}`} type="button" role="tab" aria-controls="alerts-panel" aria-selected={status === value} onClick={() => setParams(value === 'open' ? {} : { status: value }, { replace: true })}>
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="alerts-panel" aria-labelledby={`tab-${status}`}>
        <AlertList status={status} key={status} />
      </div>
    </div>
  );
}

/** Alerts with snooze and dismiss; on the inbox (by status) and on an account page (all live ones). */
export function AlertList({ status, account, compact }: { status?: Status; account?: string; compact?: boolean }) {
  const { me } = useSession();
  const [items, setItems] = useState<Alert[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [notice, setNotice] = useState<string>();
  // A csm or sales key with an owner sees the alerts sent to them by default.
  const recipient = (me?.role === 'csm' || me?.role === 'sales') && me.owner && !account ? me.owner : undefined;

  const load = useCallback(
    async (after?: string) => {
      setLoading(true);
      try {
        const page = await ok(api.GET('/v1/alerts', { params: { query: { limit: compact ? 10 : 50, ...(status ? { status } : {}), ...(account ? { account } : {}), ...(recipient ? { recipient } : {}), ...(after ? { cursor: after } : {}) } } }));
        setItems((old) => (after ? [...old, ...page.items] : page.items));
        setCursor(page.nextCursor ?? null);
        setError(undefined);
      } catch (caught) {
        setError(caught);
      } finally {
        setLoading(false);
      }
    },
    [status, account, recipient, compact],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (alert: Alert, action: 'snooze' | 'dismiss', body: { until?: string; reason?: string }) => {
    setError(undefined);
    try {
      const updated =
        action === 'snooze'
          ? await ok(api.POST('/v1/alerts/{id}/snooze', { params: { path: { id: alert.id } }, body: { until: body.until!, ...(body.reason ? { reason: body.reason } : {}) } }))
          : await ok(api.POST('/v1/alerts/{id}/dismiss', { params: { path: { id: alert.id } }, body: body.reason ? { reason: body.reason } : {} }));
      setNotice(action === 'snooze' ? `Snoozed “${alert.accountName}” until ${updated.snoozedUntil ?? body.until}.` : `Dismissed “${alert.accountName}”.`);
      setItems((old) => (status && updated.status !== status ? old.filter((a) => a.id !== alert.id) : old.map((a) => (a.id === alert.id ? updated : a))));
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <div>
      {notice && <p className="success" role="status">{notice}</p>}
      {error !== undefined && <ErrorMessage error={error} />}
      {loading && items.length === 0 && <Skeleton rows={4} />}
      {!loading && items.length === 0 && error === undefined && (
        <Empty>{account ? 'No alert for this account.' : `No ${status ?? ''} alert${recipient ? ` for ${recipient}` : ''}.`}</Empty>
      )}
      {items.length > 0 && (
        <ul className="alerts">
          {items.map((alert) => (
            <AlertItem key={alert.id} alert={alert} compact={compact} onAct={act} />
          ))}
        </ul>
      )}
      {cursor && (
        <p className="more"><button type="button" onClick={() => load(cursor)} disabled={loading}>{loading ? 'Loading…' : 'Load more'}</button></p>
      )}
    </div>
  );
}

function AlertItem({ alert, compact, onAct }: { alert: Alert; compact?: boolean; onAct: (alert: Alert, action: 'snooze' | 'dismiss', body: { until?: string; reason?: string }) => Promise<void> }) {
  const [mode, setMode] = useState<'none' | 'snooze' | 'dismiss'>('none');
  const [until, setUntil] = useState(addDays(todayUtc(), 7));
  const [reason, setReason] = useState('');
  const live = alert.status === 'open' || alert.status === 'deferred' || alert.status === 'snoozed';
  return (
    <li className="card alert" data-alert-id={alert.id}>
      <div className="card-head">
        <div>
          <strong>{RULE_WORDS[alert.rule] ?? alert.rule}</strong> · {!compact && <Link to={`/accounts/${encodeURIComponent(alert.account)}`}>{alert.accountName}</Link>}
          {!compact && ' · '}
          <span className="muted">{alert.firedOn} · {alert.status}{alert.snoozedUntil ? ` until ${alert.snoozedUntil}` : ''} · to {alert.recipient}</span>
        </div>
        {live && (
          <div className="actions">
            <button type="button" className="secondary" onClick={() => onAct(alert, 'snooze', { until: addDays(todayUtc(), 1) })}>Snooze 1 d</button>
            <button type="button" className="secondary" onClick={() => onAct(alert, 'snooze', { until: addDays(todayUtc(), 7) })}>Snooze 7 d</button>
            <button type="button" className="secondary" aria-expanded={mode === 'snooze'} onClick={() => setMode(mode === 'snooze' ? 'none' : 'snooze')}>Snooze until…</button>
            <button type="button" className="secondary" aria-expanded={mode === 'dismiss'} onClick={() => setMode(mode === 'dismiss' ? 'none' : 'dismiss')}>Dismiss…</button>
          </div>
        )}
      </div>
      <p>{alert.reason}</p>
      {alert.statusReason && <p className="muted">Note: {alert.statusReason}{alert.statusBy ? ` (${alert.statusBy}, ${dateTime(alert.updatedAt)})` : ''}</p>}
      {mode === 'snooze' && (
        <form className="inline" onSubmit={(e) => { e.preventDefault(); void onAct(alert, 'snooze', { until, reason }).then(() => setMode('none')); }}>
          <label>Until<input type="date" value={until} min={addDays(todayUtc(), 1)} onChange={(e) => setUntil(e.target.value)} required /></label>
          <label style={{ flex: '1 1 14rem' }}>Reason (optional)<input value={reason} onChange={(e) => setReason(e.target.value)} /></label>
          <button type="submit">Snooze</button>
        </form>
      )}
      {mode === 'dismiss' && (
        <form className="inline" onSubmit={(e) => { e.preventDefault(); void onAct(alert, 'dismiss', { reason }).then(() => setMode('none')); }}>
          <label style={{ flex: '1 1 14rem' }}>Reason<input value={reason} onChange={(e) => setReason(e.target.value)} required placeholder="e.g. seasonal dip, customer confirmed" /></label>
          <button type="submit">Dismiss</button>
        </form>
      )}
    </li>
  );
}
