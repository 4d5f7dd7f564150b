import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { stringify } from 'yaml';
import { api, ok } from '../api/client';
import type { components } from '../api/schema.gen';
import type { FitFigures, FitJob, FitTargetReport } from '../api/views';
import { configDraft } from '../config-draft';
import { ChartTable, ErrorMessage, Section, Skeleton } from '../components/ui';
import { addDays, integer, percent, todayUtc } from '../format';

type BacktestReport = components['schemas']['BacktestReportDto'];
type Curves = components['schemas']['ExpansionSummaryDto'];

const ACTIVE_COLOUR = '#1f5fbf';
const CANDIDATE_COLOUR = '#7a5200';

const fixed = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? '—' : value.toFixed(digits));

function defaultDates(): string {
  const end = addDays(todayUtc(), -1);
  return [150, 120, 90].map((back) => addDays(end, -back)).join(', ');
}

export default function BacktestPage() {
  const navigate = useNavigate();
  const [dates, setDates] = useState(defaultDates);
  const [horizon, setHorizon] = useState(90);
  const [useDraft, setUseDraft] = useState(() => configDraft.get() !== null);
  const [busy, setBusy] = useState<'backtest' | 'fit' | null>(null);
  const [error, setError] = useState<unknown>();
  const [reports, setReports] = useState<{ active: BacktestReport; candidate?: BacktestReport }>();
  const [job, setJob] = useState<FitJob>();
  const asOf = dates.split(/[\s,]+/).filter(Boolean);

  const runBacktest = async (event: FormEvent) => {
    event.preventDefault();
    setBusy('backtest');
    setError(undefined);
    try {
      const draft = useDraft ? configDraft.get() : null;
      const [active, candidate] = await Promise.all([
        ok(api.POST('/v1/backtest', { body: { asOf, horizonDays: horizon, k: 20 } })),
        draft ? ok(api.POST('/v1/backtest', { body: { asOf, horizonDays: horizon, k: 20, config: draft } })) : Promise.resolve(undefined),
      ]);
      setReports({ active, candidate });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  /** A fit is a job: 202, then its progress is polled until the report (or the problem) is there. */
  const runFit = async () => {
    setBusy('fit');
    setError(undefined);
    setJob(undefined);
    try {
      let current = await ok(api.POST('/v1/config/fit', { body: { asOf, horizonDays: horizon, k: 20, target: 'both', l1Ratio: 1 } }));
      setJob(current);
      while (current.status === 'queued' || current.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        current = await ok(api.GET('/v1/config/fit/{id}', { params: { path: { id: current.id } } }));
        setJob(current);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };
  const openCandidate = (candidate: Record<string, unknown>) => {
    configDraft.set(stringify(candidate));
    navigate('/config');
  };

  return (
    <div className="page">
      <div className="page-head"><h1>Backtest</h1></div>
      <p className="muted">Replays a config at past dates with the data known then, and checks it against the outcomes recorded within the horizon.</p>
      <form className="inline card" onSubmit={runBacktest}>
        <label style={{ flex: '1 1 20rem' }}>As-of dates (YYYY-MM-DD, comma separated)<input value={dates} onChange={(e) => setDates(e.target.value)} /></label>
        <label>Horizon (days)<input type="number" min={7} max={365} value={horizon} onChange={(e) => setHorizon(Number(e.target.value))} /></label>
        <label style={{ flexDirection: 'row', alignItems: 'center', gap: '0.4rem' }}>
          <input type="checkbox" checked={useDraft} disabled={configDraft.get() === null} onChange={(e) => setUseDraft(e.target.checked)} /> Compare the Config draft as candidate
        </label>
        <button type="submit" disabled={busy !== null}>{busy === 'backtest' ? 'Running…' : 'Run backtest'}</button>
        <button type="button" className="secondary" onClick={runFit} disabled={busy !== null}>{busy === 'fit' ? 'Fitting…' : 'Fit a candidate'}</button>
      </form>
      {error !== undefined && <ErrorMessage error={error} />}
      {busy === 'backtest' && <Skeleton rows={4} />}
      {job && <FitJobView job={job} onOpen={openCandidate} />}
      {reports && <Results active={reports.active} candidate={reports.candidate} />}
    </div>
  );
}

function Results({ active, candidate }: { active: BacktestReport; candidate?: BacktestReport }) {
  const ranking = [
    { name: 'Churn AUC', active: active.churn.auc, candidate: candidate?.churn.auc },
    { name: 'Churn top-decile lift', active: active.churn.liftTopDecile, candidate: candidate?.churn.liftTopDecile },
    { name: 'Expansion AUC', active: active.expansion.auc, candidate: candidate?.expansion.auc },
    { name: 'Expansion top-decile lift', active: active.expansion.liftTopDecile, candidate: candidate?.expansion.liftTopDecile },
  ];
  const calibration = active.churn.calibration.map((bucket, i) => ({
    bucket: `${percent(bucket.from)}–${percent(bucket.to)}`,
    predicted: bucket.meanPredicted === null ? null : Math.round(bucket.meanPredicted * 100),
    active: bucket.observedRate === null ? null : Math.round(bucket.observedRate * 100),
    candidate: candidate?.churn.calibration[i]?.observedRate == null ? null : Math.round(candidate.churn.calibration[i]!.observedRate! * 100),
    ideal: Math.round(((bucket.from + bucket.to) / 2) * 100),
  }));
  const activeName = `Active v${active.configVersion ?? '?'}`;
  return (
    <>
      {[...active.warnings, ...(candidate?.warnings ?? [])].map((w, i) => <p key={i} className="banner" role="note">{w}</p>)}
      <Section title={`Ranking on ${active.accounts} account-dates (${active.positives.churn} churned, ${active.positives.expansion} expanded)`} id="ranking">
        <div style={{ width: '100%', height: 260 }}>
          <ResponsiveContainer>
            <BarChart data={ranking.map((r) => ({ name: r.name, active: r.active ?? 0, candidate: r.candidate ?? undefined }))}>
              <CartesianGrid stroke="#e6eaf0" />
              <XAxis dataKey="name" tick={{ fontSize: 11 }} />
              <YAxis tick={{ fontSize: 11 }} />
              <Tooltip />
              <Legend />
              <ReferenceLine y={1} stroke="#4f5a6b" strokeDasharray="4 4" label={{ value: '1.0 = no better than chance (lift)', fontSize: 11, position: 'insideTopLeft' }} />
              <ReferenceLine y={0.5} stroke="#4f5a6b" strokeDasharray="1 3" />
              <Bar dataKey="active" name={activeName} fill={ACTIVE_COLOUR} isAnimationActive={false} />
              {candidate && <Bar dataKey="candidate" name="Candidate (draft)" fill={CANDIDATE_COLOUR} isAnimationActive={false} />}
            </BarChart>
          </ResponsiveContainer>
        </div>
        <ChartTable caption="Ranking figures" head={['Figure', 'Active', 'Candidate']} rows={ranking.map((r) => [r.name, fixed(r.active), candidate ? fixed(r.candidate) : '—'])} />
        <p className="muted">Brier score: active {fixed(active.churn.brier, 3)}{candidate && `, candidate ${fixed(candidate.churn.brier, 3)}`}. Precision@{active.churn.k}: {fixed(active.churn.precisionAtK)}.</p>
      </Section>
      <CurvesSection id="churn-curves" title="Churn: ROC curve and lift by decile of churn risk" active={active.churn} candidate={candidate?.churn} activeName={activeName} />
      <CurvesSection id="expansion-curves" title="Expansion: ROC curve and lift by decile of readiness" active={active.expansion} candidate={candidate?.expansion} activeName={activeName} />
      <Section title="Calibration: predicted vs observed churn by bucket" id="calibration">
        <div style={{ width: '100%', height: 260 }}>
          <ResponsiveContainer>
            <LineChart data={calibration}>
              <CartesianGrid stroke="#e6eaf0" />
              <XAxis dataKey="bucket" tick={{ fontSize: 11 }} />
              <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} />
              <Tooltip />
              <Legend />
              <Line dataKey="ideal" name="Perfect calibration (diagonal)" stroke="#4f5a6b" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
              <Line dataKey="active" name="Observed, active" stroke={ACTIVE_COLOUR} connectNulls isAnimationActive={false} />
              {candidate && <Line dataKey="candidate" name="Observed, candidate" stroke={CANDIDATE_COLOUR} strokeDasharray="8 2" connectNulls isAnimationActive={false} />}
            </LineChart>
          </ResponsiveContainer>
        </div>
        <ChartTable caption="Calibration buckets" head={['Bucket', 'Accounts', 'Mean predicted %', 'Observed % (active)', 'Observed % (candidate)']} rows={active.churn.calibration.map((b, i) => [calibration[i]!.bucket, b.count, calibration[i]!.predicted ?? '—', calibration[i]!.active ?? '—', calibration[i]!.candidate ?? '—'])} />
      </Section>
      <PerDate summary={active} />
    </>
  );
}

/**
 * The curves behind AUC and top-decile lift: the ROC curve against the chance diagonal, and
 * each tenth of the ranking's positive rate ÷ the base rate against the 1.0 line. The candidate
 * is dashed (and brown), so the two read apart without colour.
 */
function CurvesSection({ id, title, active, candidate, activeName }: { id: string; title: string; active: Curves; candidate?: Curves; activeName: string }) {
  const percentPoints = (points: Curves['roc']) => points.map((p) => ({ fpr: Math.round(p.fpr * 1000) / 10, tpr: Math.round(p.tpr * 1000) / 10 }));
  const deciles = active.liftByDecile.map((d, i) => ({ decile: `${d.decile}`, active: d.lift, candidate: candidate?.liftByDecile[i]?.lift ?? null }));
  return (
    <Section title={title} id={id}>
      <div className="two-col">
        <div>
          <h3>ROC curve (AUC {fixed(active.auc)}{candidate && ` vs ${fixed(candidate.auc)}`})</h3>
          {active.roc.length === 0 ? (
            <p className="muted">No curve: every account-date had the same outcome.</p>
          ) : (
            <div style={{ width: '100%', height: 260 }} data-testid={`${id}-roc`} data-points={active.roc.length}>
              <ResponsiveContainer>
                <LineChart margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
                  <CartesianGrid stroke="#e6eaf0" />
                  <XAxis dataKey="fpr" type="number" domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} label={{ value: 'false positives (share of negatives flagged)', fontSize: 11, position: 'insideBottom', offset: -10 }} />
                  <YAxis dataKey="tpr" type="number" domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} />
                  <Tooltip />
                  <Legend verticalAlign="top" />
                  <Line data={[{ fpr: 0, tpr: 0 }, { fpr: 100, tpr: 100 }]} dataKey="tpr" name="Chance (diagonal)" stroke="#4f5a6b" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
                  <Line data={percentPoints(active.roc)} dataKey="tpr" name={activeName} stroke={ACTIVE_COLOUR} strokeWidth={2} dot={false} isAnimationActive={false} />
                  {candidate && candidate.roc.length > 0 && (
                    <Line data={percentPoints(candidate.roc)} dataKey="tpr" name="Candidate (draft)" stroke={CANDIDATE_COLOUR} strokeWidth={2} strokeDasharray="8 3" dot={false} isAnimationActive={false} />
                  )}
                </LineChart>
              </ResponsiveContainer>
            </div>
          )}
          <ChartTable caption="ROC points" head={['False positives %', 'True positives %']} rows={percentPoints(active.roc).map((p) => [p.fpr, p.tpr])} />
        </div>
        <div>
          <h3>Lift by decile (1 = highest scores)</h3>
          <div style={{ width: '100%', height: 260 }} data-testid={`${id}-lift`}>
            <ResponsiveContainer>
              <BarChart data={deciles} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
                <CartesianGrid stroke="#e6eaf0" />
                <XAxis dataKey="decile" tick={{ fontSize: 11 }} label={{ value: 'decile of the ranking', fontSize: 11, position: 'insideBottom', offset: -10 }} />
                <YAxis tick={{ fontSize: 11 }} />
                <Tooltip />
                <Legend verticalAlign="top" />
                <ReferenceLine y={1} stroke="#4f5a6b" strokeDasharray="4 4" label={{ value: '1.0 = base rate', fontSize: 11, position: 'insideTopRight' }} />
                <Bar dataKey="active" name={activeName} fill={ACTIVE_COLOUR} isAnimationActive={false} />
                {candidate && <Bar dataKey="candidate" name="Candidate (draft)" fill={CANDIDATE_COLOUR} isAnimationActive={false} />}
              </BarChart>
            </ResponsiveContainer>
          </div>
          <ChartTable
            caption="Deciles"
            head={['Decile', 'Account-dates', 'Positives', 'Rate %', 'Lift (active)', 'Lift (candidate)']}
            rows={active.liftByDecile.map((d, i) => [d.decile, d.count, fixed(d.positives, 1), d.positiveRate === null ? '—' : fixed(d.positiveRate * 100, 1), fixed(d.lift), candidate ? fixed(candidate.liftByDecile[i]?.lift) : '—'])}
          />
        </div>
      </div>
    </Section>
  );
}

function PerDate({ summary }: { summary: BacktestReport }) {
  return (
    <Section title="Per date" id="per-date">
      <table>
        <thead><tr><th scope="col">As of</th><th scope="col" className="num">Accounts</th><th scope="col" className="num">Churned</th><th scope="col" className="num">Expanded</th></tr></thead>
        <tbody>{summary.perDate.map((d) => <tr key={d.asOf}><td>{d.asOf}</td><td className="num">{integer(d.accounts)}</td><td className="num">{d.positives.churn}</td><td className="num">{d.positives.expansion}</td></tr>)}</tbody>
      </table>
    </Section>
  );
}

function FitJobView({ job, onOpen }: { job: FitJob; onOpen: (candidate: Record<string, unknown>) => void }) {
  const report = job.report;
  return (
    <Section title={`Fit job: ${job.status}`} id="fit-job" actions={report && <button type="button" onClick={() => onOpen(report.candidate)}>Open candidate in Config</button>}>
      {(job.status === 'queued' || job.status === 'running') && (
        <div role="status">
          <progress max={Math.max(1, job.progress.steps)} value={job.progress.step} aria-label="Fit progress" /> {job.progress.message || job.progress.phase} ({job.progress.step}/{job.progress.steps})
        </div>
      )}
      {job.status === 'failed' && (
        <div className="error" role="alert"><strong>The fit failed{job.error ? ` (${job.error.status})` : ''}</strong>{job.error?.detail && <p>{job.error.detail}</p>}
          {job.error?.errors && <ul>{job.error.errors.map((e, i) => <li key={i}><code>{e.path}</code> {e.message}</li>)}</ul>}
        </div>
      )}
      {report && (
        <>
          {report.warnings.map((w, i) => <p key={i} className="banner" role="note">{w}</p>)}
          <p className="muted">Fitted in {report.seconds.toFixed(1)} s on top of config v{report.basedOn.configVersion}. The candidate is never saved by the fit: open it in Config, preview, then save.</p>
          <div className="two-col">
            {[report.churn, report.expansion].filter((t): t is FitTargetReport => t !== null).map((target) => <TargetView key={target.target} target={target} />)}
          </div>
        </>
      )}
    </Section>
  );
}

function TargetView({ target }: { target: FitTargetReport }) {
  const oot = target.outOfTime;
  const row = (label: string, f: FitFigures) => [label, fixed(f.auc), fixed(f.liftTopDecile), fixed(f.precisionAtK), fixed(f.brier, 3)];
  return (
    <div>
      <h3>{target.target === 'churn' ? 'Churn model' : 'Expansion model'}: {target.groups.length} inputs kept of {target.candidates}</h3>
      <p className="muted">{integer(target.rows)} account-dates, {integer(target.positives)} positive.</p>
      {oot && (
        <table>
          <caption className="muted">Out of time: fitted on {oot.fitOn.join(', ')}, tested on {oot.testOn.join(', ')}</caption>
          <thead><tr><th scope="col">Model</th><th scope="col" className="num">AUC</th><th scope="col" className="num">Top-decile lift</th><th scope="col" className="num">Precision@k</th><th scope="col" className="num">Brier</th></tr></thead>
          <tbody>
            {[row('Candidate (learned)', oot.candidate), row('Active config', oot.active), row(`Best single input (${oot.bestSingleInput.input})`, oot.bestSingleInput)].map((cells) => (
              <tr key={cells[0]}>{cells.map((c, i) => (i === 0 ? <th key={i} scope="row">{c}</th> : <td key={i} className="num">{c}</td>))}</tr>
            ))}
          </tbody>
        </table>
      )}
      <table>
        <thead><tr><th scope="col">Input group</th><th scope="col" className="num">Coefficient</th><th scope="col" className="num">Importance</th></tr></thead>
        <tbody>
          {target.groups.map((g) => (
            <tr key={g.name}><td>{g.members.map((m) => m.label).join(', ')}</td><td className="num">{fixed(g.coefficient, 3)}</td><td className="num">{percent(g.importance)}</td></tr>
          ))}
        </tbody>
      </table>
      {target.warnings.map((w, i) => <p key={i} className="banner" role="note">{w}</p>)}
    </div>
  );
}
