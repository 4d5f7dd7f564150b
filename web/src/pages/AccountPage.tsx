import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, ok, okAs } from '../api/client';
import { ApiError } from '../api/problem';
import type { AccountHealth, AccountView, Grade, History, PlanView, ScoreChanges, ScoreView, UsageSeries } from '../api/views';
import { ChartTable, Empty, ErrorMessage, GradeBadge, Section, Skeleton, useAsync } from '../components/ui';
import { addDays, dateTime, dayWithRelative, delta, integer, moneyExact, percent, todayUtc } from '../format';
import { useSession } from '../session-context';
import { AlertList } from './AlertsPage';
import { LastRunBanner } from '../components/LastRunBanner';

const RANGES = [90, 180, 365] as const;
const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact' });

export default function AccountPage() {
  const { externalId = '' } = useParams();
  const account = useAsync(() => ok(api.GET('/v1/accounts/{externalId}', { params: { path: { externalId } } })), [externalId]);
  const health = useAsync(
    () =>
      ok(api.GET('/v1/accounts/{externalId}/health', { params: { path: { externalId } } })).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
    [externalId],
  );

  if (account.error !== undefined) return <div className="page"><ErrorMessage error={account.error} /></div>;
  if (!account.data || health.loading) return <div className="page"><Skeleton rows={10} /></div>;
  const a = account.data;
  const score = health.data;
  return (
    <div className="page account-page">
      <p><Link to={-1 as unknown as string} onClick={(e) => { e.preventDefault(); history.back(); }}>← Back</Link></p>
      <div className="page-head">
        <h1>{a.name}</h1>
        {score && <GradeBadge grade={score.grade} />}
      </div>
      <p className="muted">
        {a.externalId} · plan {a.plan} · {a.segment.replace('_', '-')} · CSM {a.csmOwner ?? '—'} · sales {a.salesOwner ?? '—'} · renews {dayWithRelative(a.renewalDate)}
      </p>
      <LastRunBanner />
      {health.error !== undefined && <ErrorMessage error={health.error} />}
      {score === null && <Empty>This account has no score yet: no scoring run has covered it. Scores appear after the next run.</Empty>}
      {score && <Header score={score} account={a} />}
      {score && <TrendSection externalId={externalId} />}
      {score && (
        <div className="grid">
          <ComponentsSection score={score} />
          <DriversSection score={score} />
          <SignalsSection score={score} />
          <FreshnessSection score={score} />
        </div>
      )}
      <UsageSection externalId={externalId} account={a} />
      <Section title="Alerts for this account" id="account-alerts">
        <AlertList account={externalId} compact />
      </Section>
      {score && <OverrideSection externalId={externalId} score={score} onChange={health.reload} />}
    </div>
  );
}

function Header({ score, account }: { score: AccountHealth; account: AccountView }) {
  return (
    <section className="card" aria-label="Scores">
      <dl className="facts">
        <div><dt>Health</dt><dd>{integer(score.healthScore)} {score.trend.d7 !== null && <span className="delta">{delta(score.trend.d7)} in 7 d</span>}{score.trend.d30 !== null && <span className="delta"> · {delta(score.trend.d30)} in 30 d</span>}</dd></div>
        <div>
          <dt>Grade</dt>
          <dd>
            <GradeBadge grade={score.grade} />
            {score.override && <span className="override-mark"> overridden to <GradeBadge grade={score.override.grade} /></span>}
          </dd>
        </div>
        <div><dt>Churn risk</dt><dd>{percent(score.churnRisk)}</dd></div>
        <div><dt>ARR at risk</dt><dd>{moneyExact(score.arrAtRisk, score.currency)}</dd></div>
        <div><dt>ARR</dt><dd>{moneyExact(account.arr, account.currency)}</dd></div>
        <div><dt>Readiness</dt><dd>{integer(score.upgradeReadiness)}</dd></div>
        <div><dt>Next plan</dt><dd>{score.recommendedPlan ?? '—'}</dd></div>
        <div><dt>Expansion ARR</dt><dd>{moneyExact(score.expansionArr, score.currency)}</dd></div>
        <div><dt>As of</dt><dd>{score.asOf}</dd></div>
        <div><dt>Config</dt><dd>v{score.configVersion}</dd></div>
      </dl>
    </section>
  );
}

function TrendSection({ externalId }: { externalId: string }) {
  const { me } = useSession();
  const readsConfig = me?.role === 'revops' || me?.role === 'admin';
  const [range, setRange] = useState<(typeof RANGES)[number]>(90);
  const to = todayUtc();
  const history = useAsync(
    () => ok(api.GET('/v1/accounts/{externalId}/health/history', { params: { path: { externalId }, query: { from: addDays(to, -range), to } } })),
    [externalId, range],
  );
  const points = useMemo(
    () => (history.data?.items ?? []).map((s) => ({ day: s.asOf, health: Math.round(s.healthScore), risk: Math.round(s.churnRisk * 100), version: s.configVersion })),
    [history.data],
  );
  // The two days "Why it changed" compares; clicking a point of the chart picks one (see WhyItChanged).
  const [picked, setPicked] = useState<PickedDays>({});
  /** Every point of the chart is a scored day; clicking one picks it for "Why it changed". */
  // No active dot on hover (activeDot={false}): an element appearing under the pointer between press and release would swallow the click.
  const dayDot = (dot: { cx?: number; cy?: number; index: number; stroke?: string; payload: { day: string } }) => (
    <circle key={dot.index} cx={dot.cx} cy={dot.cy} r={3.5} stroke={dot.stroke} strokeWidth={1.5} fill="#fff" style={{ cursor: 'pointer' }} onClick={() => setPicked((current) => clickDay(current, dot.payload.day))} />
  );
  const versionChanges = points.filter((p, i) => i > 0 && p.version !== points[i - 1]!.version).map((p, i) => ({ day: p.day, from: points[points.indexOf(p) - 1]!.version, to: p.version, key: i }));
  return (
    <Section
      title="Health and churn risk over time"
      id="trend"
      actions={
        <div className="segmented" role="group" aria-label="Range">
          {RANGES.map((r) => (
            <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}>{r} d</button>
          ))}
        </div>
      }
    >
      {history.error !== undefined && <ErrorMessage error={history.error} />}
      {history.loading && !history.data && <Skeleton rows={4} />}
      {history.data && points.length === 0 && <Empty>No scored day in the last {range} days.</Empty>}
      {points.length > 0 && (
        <>
          <div className="chart" data-testid="trend-chart" data-points={points.length} style={{ width: '100%', height: 280 }}>
            <ResponsiveContainer>
              <LineChart data={points} margin={{ top: 16, right: 16, bottom: 0, left: -10 }}>
                <CartesianGrid stroke="#e6eaf0" />
                <XAxis dataKey="day" tick={{ fontSize: 11 }} minTickGap={24} />
                <YAxis domain={[0, 100]} tick={{ fontSize: 11 }} />
                <Tooltip />
                <Legend />
                {versionChanges.map((c) => (
                  <ReferenceLine key={c.day} x={c.day} stroke="#4f5a6b" strokeDasharray="4 4" label={{ value: `config v${c.to}`, position: 'top', fontSize: 11, fill: '#4f5a6b' }} />
                ))}
                <Line type="monotone" dataKey="health" name="Health (0–100)" stroke="#1f5fbf" strokeWidth={2} dot={dayDot} activeDot={false} isAnimationActive={false} />
                <Line type="monotone" dataKey="risk" name="Churn risk (%)" stroke="#b3261e" strokeWidth={2} strokeDasharray="6 3" dot={dayDot} activeDot={false} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
          {versionChanges.length > 0 && (
            <p className="muted">
              Config changed:{' '}
              {versionChanges.map((c, i) => (
                <span key={c.day}>
                  {i > 0 && ', '}
                  {c.day} {readsConfig ? <Link to={`/config?diff=${c.from}..${c.to}`}>v{c.from} → v{c.to} (diff)</Link> : `v${c.from} → v${c.to}`}
                </span>
              ))}
            </p>
          )}
          <WhyItChanged externalId={externalId} days={points.map((p) => p.day)} picked={picked} onPick={setPicked} />
          <SignalTimeline items={history.data?.items ?? []} />
          <ChartTable caption={`${points.length} scored days`} head={['Day', 'Health', 'Churn risk %', 'Config']} rows={points.map((p) => [p.day, p.health, p.risk, `v${p.version}`])} />
        </>
      )}
    </Section>
  );
}

/**
 * "Why it changed": any two scored days (default: the latest and the one before), each input's
 * contribution on both, largest change first; the changes add up to the score's change.
 */
interface PickedDays {
  from?: string;
  to?: string;
  /** The first of two clicks on the chart, waiting for the second. */
  clicked?: string;
}

/** The two days each pick resolves to: the later one defaults to the latest, the earlier one to the day before it. */
function comparedDays(picked: PickedDays, days: string[]): { from: string; to: string; earlier: string[] } {
  const to = picked.to !== undefined && days.includes(picked.to) ? picked.to : days[days.length - 1] ?? '';
  const earlier = days.filter((d) => d < to);
  const from = picked.from !== undefined && earlier.includes(picked.from) ? picked.from : earlier[earlier.length - 1] ?? '';
  return { from, to, earlier };
}

/** Two clicks on the chart pick the two days, in either order; a second click on the same day starts again. */
function clickDay(picked: PickedDays, day: string): PickedDays {
  if (picked.clicked === undefined || picked.clicked === day) return { from: picked.from, to: picked.to, clicked: day };
  return picked.clicked < day ? { from: picked.clicked, to: day } : { from: day, to: picked.clicked };
}

function WhyItChanged({ externalId, days, picked, onPick: setPicked }: { externalId: string; days: string[]; picked: PickedDays; onPick: (picked: PickedDays) => void }) {
  const [result, setResult] = useState<{ changes?: ScoreChanges; error?: unknown }>({});
  const { from, to, earlier } = comparedDays(picked, days);
  useEffect(() => {
    if (!from || !to) return;
    let current = true;
    ok(api.GET('/v1/accounts/{externalId}/health/changes', { params: { path: { externalId }, query: { since: from, until: to } } })).then(
      (changes) => current && setResult({ changes }),
      (error: unknown) => current && setResult({ error }),
    );
    return () => {
      current = false;
    };
  }, [externalId, from, to]);
  if (days.length < 2) return null;
  const c = result.changes;
  const rows = c ? [...c.health.changes].sort((a, b) => Math.abs(b.change) - Math.abs(a.change)) : [];
  return (
    <div className="why">
      <h3>
        Why it changed from{' '}
        <select aria-label="Earlier scored day" value={from} onChange={(e) => setPicked({ from: e.target.value, to })}>
          {earlier.map((d) => <option key={d} value={d}>{d}</option>)}
        </select>{' '}
        to{' '}
        <select aria-label="Later scored day" value={to} onChange={(e) => setPicked({ from, to: e.target.value })}>
          {days.slice(1).map((d) => <option key={d} value={d}>{d}</option>)}
        </select>
      </h3>
      <p className="muted" role="status">{picked.clicked ? `${picked.clicked} picked: click a second point of the chart to compare the two days.` : 'Or click two points of the chart to compare those days.'}</p>
      {result.error !== undefined && <ErrorMessage error={result.error} />}
      {c && (
        <>
          <p>
            Health {c.health.from.toFixed(1)} → {c.health.to.toFixed(1)} ({c.health.change >= 0 ? '+' : ''}{c.health.change.toFixed(1)} points), churn risk {percent(c.from.churnRisk)} → {percent(c.to.churnRisk)}
            {c.from.configVersion !== c.to.configVersion && <> · config v{c.from.configVersion} → v{c.to.configVersion}</>}
          </p>
          {c.warnings.map((w, i) => <p key={i} className="banner" role="note">{w}</p>)}
          <table>
            <thead><tr><th scope="col">Input</th><th scope="col" className="num">Before</th><th scope="col" className="num">After</th><th scope="col" className="num">Change (points)</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.factor}><td>{r.factor.replace(/_/g, ' ')}</td><td className="num">{r.from.toFixed(1)}</td><td className="num">{r.to.toFixed(1)}</td><td className="num">{r.change > 0 ? '▲ +' : r.change < 0 ? '▼ ' : ''}{r.change.toFixed(1)}</td></tr>
              ))}
              <tr><th scope="row">Total</th><td className="num">{c.health.from.toFixed(1)}</td><td className="num">{c.health.to.toFixed(1)}</td><td className="num"><strong>{c.health.change.toFixed(1)}</strong></td></tr>
            </tbody>
          </table>
          {c.churn && (
            <>
              <h3>Churn risk: {c.churn.from.toFixed(1)} → {c.churn.to.toFixed(1)} points</h3>
              <table>
                <thead><tr><th scope="col">Term</th><th scope="col" className="num">Change (points of risk)</th></tr></thead>
                <tbody>{[...c.churn.changes].sort((a, b) => Math.abs(b.points) - Math.abs(a.points)).map((t) => <tr key={t.term}><td>{t.term}</td><td className="num">{t.points.toFixed(1)}</td></tr>)}</tbody>
              </table>
            </>
          )}
        </>
      )}
    </div>
  );
}

/** The days a signal started or stopped, newest first. */
function SignalTimeline({ items }: { items: ScoreView[] }) {
  const events: Array<{ day: string; started: string[]; stopped: string[] }> = [];
  let previous = new Set<string>();
  for (const score of items) {
    const now = new Set<string>(score.signals.map((s) => s.type));
    const started = [...now].filter((t) => !previous.has(t));
    const stopped = [...previous].filter((t) => !now.has(t));
    if (started.length > 0 || stopped.length > 0) events.push({ day: score.asOf, started, stopped });
    previous = now;
  }
  if (events.length === 0) return null;
  const words = (types: string[]) => types.map((t) => t.replace(/_/g, ' ')).join(', ');
  return (
    <>
      <h3>Signals timeline</h3>
      <ul className="timeline">
        {events.reverse().map((e) => (
          <li key={e.day}>
            <strong>{e.day}</strong>
            {e.started.length > 0 && <> · started: {words(e.started)}</>}
            {e.stopped.length > 0 && <> · stopped: {words(e.stopped)}</>}
          </li>
        ))}
      </ul>
    </>
  );
}

function ComponentsSection({ score }: { score: ScoreView }) {
  const contributions = new Map(score.drivers.map((d) => [d.factor, d]));
  return (
    <Section title="Health components" id="components">
      <table>
        <thead><tr><th scope="col">Component</th><th scope="col" className="num">Score</th><th scope="col">Bar</th><th scope="col" className="num">Points</th></tr></thead>
        <tbody>
          {Object.entries(score.components).sort((a, b) => a[1] - b[1]).map(([name, value]) => (
            <tr key={name}>
              <td>{name.replace(/_/g, ' ')}</td>
              <td className="num">{integer(value)}</td>
              <td><div className="bar" aria-hidden="true"><span style={{ width: `${Math.max(0, Math.min(100, value))}%` }} /></div></td>
              <td className="num">{contributions.get(name) ? contributions.get(name)!.impact.toFixed(1) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Coverage {percent(score.coverage)} of the configured weight had data. Points are each component's exact share of the health score.</p>
    </Section>
  );
}

function DriversSection({ score }: { score: ScoreView }) {
  return (
    <Section title="Why: drivers" id="drivers">
      <ul className="drivers">
        {score.drivers.map((d, i) => (
          <li key={i}><span aria-label={d.direction}>{d.direction === 'negative' ? '▼' : '▲'}</span> {d.text} <span className="muted">({d.impact.toFixed(1)} pts)</span></li>
        ))}
      </ul>
      {score.readinessDrivers.length > 0 && (
        <>
          <h3>Upgrade readiness</h3>
          <ul>{score.readinessDrivers.map((d, i) => <li key={i}>{d.text}</li>)}</ul>
        </>
      )}
    </Section>
  );
}

function SignalsSection({ score }: { score: ScoreView }) {
  return (
    <Section title="Signals and value gaps" id="signals">
      {score.signals.length === 0 ? <p className="muted">No signal fired on {score.asOf}.</p> : (
        <ul>{score.signals.map((s, i) => <li key={i}><strong>{s.type.replace(/_/g, ' ')}</strong>: {s.text}</li>)}</ul>
      )}
      <h3>Value gaps ({percent(score.valueGap)})</h3>
      {score.valueGaps.length === 0 ? <p className="muted">None: the account uses what it pays for.</p> : (
        <ul>{score.valueGaps.map((g) => <li key={g.name}>{g.text} <span className="muted">({percent(g.gap)})</span></li>)}</ul>
      )}
    </Section>
  );
}

function FreshnessSection({ score }: { score: AccountHealth }) {
  const f = score.dataFreshness;
  const missing = score.missingComponents;
  return (
    <Section title="Freshness and coverage" id="freshness">
      <dl className="facts">
        <div><dt>Last usage day</dt><dd>{dayWithRelative(f.lastUsageDay, score.asOf)}</dd></div>
        <div><dt>Stale</dt><dd>{f.stale ? `Yes, ${f.staleDays} d` : 'No'}</dd></div>
        <div><dt>Coverage</dt><dd>{percent(score.coverage)}</dd></div>
        <div><dt>Lifecycle</dt><dd>{score.lifecycleStage}</dd></div>
      </dl>
      {f.stale && <p className="error" role="note">Data is stale: the grade is never green while usage is missing.</p>}
      {missing.length > 0 && (
        <div className="missing-data" data-testid="missing-components">
          <h3>Configured but no data</h3>
          <p className="muted">Scored without these (their weight went to the others):</p>
          <ul>
            {missing.map((m) => (
              <li key={m.component}>
                <strong>{m.component.replace(/_/g, ' ')}</strong> ({percent(m.weightShare)} of the weight): {m.inputs.map((i) => i.replace(/_/g, ' ')).join(', ')}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Section>
  );
}

interface LimitSetting { metric: string; aggregate: 'max' | 'sum'; windowDays: number }

/**
 * Which metric each plan limit watches comes from the config's `limits`, which only revops can
 * read. For other roles, the default vocabulary's convention stands in: `seats` is watched on
 * `seats_used` (peak per day), a limit named like a metric (`api_calls`) is a monthly total.
 */
function guessLimits(plan: PlanView | undefined, metrics: string[]): Record<string, LimitSetting> {
  const guessed: Record<string, LimitSetting> = {};
  for (const key of Object.keys(plan?.limits ?? {})) {
    if (metrics.includes(`${key}_used`)) guessed[key] = { metric: `${key}_used`, aggregate: 'max', windowDays: 1 };
    else if (metrics.includes(key)) guessed[key] = { metric: key, aggregate: 'sum', windowDays: 30 };
  }
  return guessed;
}

function UsageSection({ externalId, account }: { externalId: string; account: AccountView }) {
  const to = todayUtc();
  const from = addDays(to, -120);
  const usage = useAsync(() => okAs<UsageSeries>(api.GET('/v1/accounts/{externalId}/usage', { params: { path: { externalId }, query: { from, to } } })), [externalId]);
  const plans = useAsync(() => ok(api.GET('/v1/plans')), []);
  const { me } = useSession();
  const readsConfig = me?.role === 'revops' || me?.role === 'admin';
  const config = useAsync(() => (readsConfig ? ok(api.GET('/v1/config', { params: { query: {} } })) : Promise.resolve(undefined)), [readsConfig]);
  const metrics = useMemo(() => [...new Set((usage.data?.items ?? []).map((p) => p.metric))].sort(), [usage.data]);
  const [chosen, setChosen] = useState<string>('');
  const metric = chosen || (metrics.includes('active_users') ? 'active_users' : (metrics[0] ?? ''));
  const plan = plans.data?.items.find((p) => p.id === account.plan);
  const limits = ((config.data as { config?: { limits?: Record<string, LimitSetting> } } | undefined)?.config?.limits ?? guessLimits(plan, metrics)) as Record<string, LimitSetting>;
  const limitEntry = Object.entries(limits).find(([, l]) => l.metric === metric);
  const limitValue = limitEntry && plan ? plan.limits[limitEntry[0]] : undefined;
  const rolling = limitEntry?.[1].aggregate === 'sum' ? limitEntry[1].windowDays : null;
  const points = useMemo(() => {
    const series = (usage.data?.items ?? []).filter((p) => p.metric === metric).sort((a, b) => a.day.localeCompare(b.day));
    return series.map((p) => {
      const windowStart = rolling ? addDays(p.day, -rolling + 1) : p.day;
      // A total needs its whole window inside the fetched range, or it would ramp up from zero.
      const complete = rolling !== null && series.length > 0 && windowStart >= series[0]!.day;
      const total = complete ? series.filter((q) => q.day >= windowStart && q.day <= p.day).reduce((sum, q) => sum + q.value, 0) : undefined;
      return { day: p.day, value: p.value, ...(rolling ? { total } : {}) };
    });
  }, [usage.data, metric, rolling]);
  return (
    <Section
      title="Usage"
      id="usage"
      actions={
        metrics.length > 0 && (
          <label className="field">
            Metric
            <select value={metric} onChange={(e) => setChosen(e.target.value)}>
              {metrics.map((m) => <option key={m} value={m}>{m}</option>)}
            </select>
          </label>
        )
      }
    >
      {usage.error !== undefined && <ErrorMessage error={usage.error} />}
      {usage.loading && <Skeleton rows={3} />}
      {usage.data && metrics.length === 0 && <Empty>No usage recorded in the last 120 days.</Empty>}
      {points.length > 0 && (
        <>
          <div style={{ width: '100%', height: 240 }}>
            <ResponsiveContainer>
              <LineChart data={points} margin={{ top: 16, right: 16, bottom: 0, left: 0 }}>
                <CartesianGrid stroke="#e6eaf0" />
                <XAxis dataKey="day" tick={{ fontSize: 11 }} minTickGap={24} />
                <YAxis tick={{ fontSize: 11 }} tickFormatter={(v: number) => COMPACT.format(v)} />
                <Tooltip />
                <Legend />
                <Line type="monotone" dataKey="value" name={`${metric} per day`} stroke="#1f5fbf" dot={false} isAnimationActive={false} />
                {rolling && <Line type="monotone" dataKey="total" name={`${rolling}-day total`} stroke="#7a5200" strokeDasharray="2 2" dot={false} isAnimationActive={false} />}
                {limitValue !== undefined && <ReferenceLine y={limitValue} ifOverflow="extendDomain" stroke="#b3261e" strokeDasharray="6 3" label={{ value: `plan limit ${integer(limitValue)}`, position: 'insideTopRight', fontSize: 11, fill: '#b3261e' }} />}
                {metric === 'seats_used' && <ReferenceLine y={account.seatsPurchased} ifOverflow="extendDomain" stroke="#1e6b3a" strokeDasharray="2 4" label={{ value: `seats bought ${account.seatsPurchased}`, position: 'insideBottomRight', fontSize: 11, fill: '#1e6b3a' }} />}
              </LineChart>
            </ResponsiveContainer>
          </div>
          <ChartTable caption={`${metric}, ${points.length} days`} head={rolling ? ['Day', 'Value', `${rolling}-day total`] : ['Day', 'Value']} rows={points.map((p) => (rolling ? [p.day, p.value, p.total ?? ''] : [p.day, p.value]))} />
        </>
      )}
    </Section>
  );
}

function OverrideSection({ externalId, score, onChange }: { externalId: string; score: AccountHealth; onChange: () => void }) {
  const { me } = useSession();
  const history = useAsync(() => ok(api.GET('/v1/accounts/{externalId}/override/history', { params: { path: { externalId }, query: { limit: 20 } } })), [externalId, score.override?.setAt]);
  const [grade, setGrade] = useState<Grade>(score.override?.grade ?? score.grade);
  const [reason, setReason] = useState('');
  const [expiresOn, setExpiresOn] = useState(addDays(todayUtc(), 30));
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<string>();
  const canSet = me?.role === 'csm' || me?.role === 'revops' || me?.role === 'admin';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(undefined);
    try {
      await ok(api.PUT('/v1/accounts/{externalId}/override', { params: { path: { externalId } }, body: { grade, reason, expiresOn } }));
      setSaved(`Override saved: shown as ${grade} until ${expiresOn}; the computed grade stays ${score.grade}.`);
      setReason('');
      onChange();
    } catch (caught) {
      setError(caught);
    }
  };
  const remove = async () => {
    setError(undefined);
    try {
      await ok(api.DELETE('/v1/accounts/{externalId}/override', { params: { path: { externalId } } }));
      setSaved('Override removed.');
      onChange();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <Section title="Manual override" id="override">
      <p>
        Computed grade <GradeBadge grade={score.grade} />
        {score.override ? (
          <> · override <GradeBadge grade={score.override.grade} /> by {score.override.setBy} until {score.override.expiresOn}: “{score.override.reason}”</>
        ) : (
          ' · no override'
        )}
      </p>
      {canSet ? (
        <form className="inline" onSubmit={submit}>
          <label>
            Grade
            <select value={grade} onChange={(e) => setGrade(e.target.value as Grade)}>
              <option value="green">● Green</option>
              <option value="yellow">▲ Yellow</option>
              <option value="red">◆ Red</option>
            </select>
          </label>
          <label style={{ flex: '1 1 16rem' }}>
            Reason
            <input required value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. exec sponsor confirmed renewal" />
          </label>
          <label>
            Expires on
            <input type="date" required value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} />
          </label>
          <button type="submit">Set override</button>
          {score.override && <button type="button" className="secondary" onClick={remove}>Remove</button>}
        </form>
      ) : (
        <p className="muted">Only csm and revops keys set overrides.</p>
      )}
      {saved && <p className="success" role="status">{saved}</p>}
      {error !== undefined && <ErrorMessage error={error} />}
      <h3>History</h3>
      {history.error !== undefined && <ErrorMessage error={history.error} />}
      {history.data && history.data.items.length === 0 && <p className="muted">No override was ever set.</p>}
      {history.data && history.data.items.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Grade</th><th scope="col">Computed</th><th scope="col">Reason</th><th scope="col">Expires</th><th scope="col">By</th></tr></thead>
            <tbody>
              {history.data.items.map((h) => (
                <tr key={h.id}>
                  <td>{dateTime(h.at)}</td>
                  <td>{h.action}</td>
                  <td>{h.grade ? <GradeBadge grade={h.grade as Grade} /> : '—'}</td>
                  <td>{h.computedGrade ? <GradeBadge grade={h.computedGrade as Grade} /> : '—'}</td>
                  <td>{h.reason ?? ''}</td>
                  <td>{h.expiresOn ?? ''}</td>
                  <td>{h.actor}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
