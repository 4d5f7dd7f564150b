import React, { Fragment, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, download, ok } from '../api/client';
import type { ListPage as Page, ListRow, PlanView } from '../api/views';
import { Empty, ErrorMessage, GradeBadge, Skeleton, usePhone } from '../components/ui';
import { dayWithRelative, daysBetween, delta, integer, money, moneyTotals, percent } from '../format';
import { useSession } from '../session-context';
import { LastRunBanner } from '../components/LastRunBanner';

export type ListKind = 'at-risk' | 'expansion';

const FILTERS = ['owner', 'segment', 'grade', 'plan', 'renewalWithinDays', 'minArr', 'asOf'] as const;
/** Rows per page; `?limit=` in the address changes it (1–200). */
const PAGE_SIZE = 50;
const SORTS: Record<ListKind, Array<[string, string]>> = {
  'at-risk': [['rank', 'Rank (ARR at risk)'], ['health', 'Health, lowest first'], ['risk', 'Churn risk, highest first'], ['arr', 'ARR, highest first'], ['renewal', 'Renewal, soonest first']],
  expansion: [['rank', 'Rank (expansion value)'], ['readiness', 'Readiness, highest first'], ['expansionArr', 'Expansion ARR, highest first'], ['arr', 'ARR, highest first'], ['renewal', 'Renewal, soonest first']],
};

function sortRows(rows: ListRow[], by: string): ListRow[] {
  const sorted = [...rows];
  const renewal = (r: ListRow) => r.renewalDate ?? '9999-12-31';
  switch (by) {
    case 'health': return sorted.sort((a, b) => a.healthScore - b.healthScore);
    case 'risk': return sorted.sort((a, b) => b.churnRisk - a.churnRisk);
    case 'arr': return sorted.sort((a, b) => b.arr - a.arr);
    case 'readiness': return sorted.sort((a, b) => b.upgradeReadiness - a.upgradeReadiness);
    case 'expansionArr': return sorted.sort((a, b) => b.expansionArr - a.expansionArr);
    case 'renewal': return sorted.sort((a, b) => renewal(a).localeCompare(renewal(b)));
    default: return sorted.sort((a, b) => a.rank - b.rank);
  }
}

export function ListPage({ kind }: { kind: ListKind }) {
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const phone = usePhone();
  const ownBookDefault = (me?.role === 'csm' || me?.role === 'sales') && me.owner ? me.owner : null;
  const ownerParam = params.get('owner');
  const owner = ownerParam === 'all' ? null : (ownerParam ?? ownBookDefault);
  const query = useMemo(() => {
    const q: Record<string, string | number> = {};
    for (const name of FILTERS) {
      const value = params.get(name);
      if (name === 'owner' || !value) continue;
      q[name] = name === 'renewalWithinDays' || name === 'minArr' ? Number(value) : value;
    }
    if (owner) q['owner'] = owner;
    return q;
  }, [params, owner]);
  const queryKey = JSON.stringify(query);
  const sortBy = params.get('sort') ?? 'rank';
  const pageSize = Math.min(200, Math.max(1, Number(params.get('limit')) || PAGE_SIZE));

  const [rows, setRows] = useState<ListRow[]>([]);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [active, setActive] = useState(-1);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [plans, setPlans] = useState<PlanView[]>([]);
  const firstFilter = useRef<HTMLSelectElement | HTMLInputElement>(null);
  const rowRefs = useRef<Array<HTMLElement | null>>([]);

  const fetchPage = useCallback(
    (cursor?: string) => {
      const path = kind === 'at-risk' ? '/v1/lists/at-risk' : '/v1/lists/expansion';
      return ok(api.GET(path, { params: { query: { ...query, limit: pageSize, ...(cursor ? { cursor } : {}) } } }));
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [kind, queryKey, pageSize],
  );

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(undefined);
    setRows([]);
    setExpanded(new Set());
    setActive(-1);
    fetchPage().then(
      (first) => {
        if (!current) return;
        setPage(first);
        setRows(first.items);
        setLoading(false);
      },
      (caught: unknown) => {
        if (!current) return;
        setError(caught);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [fetchPage]);

  useEffect(() => {
    ok(api.GET('/v1/plans')).then((page) => setPlans(page.items), () => setPlans([]));
  }, []);

  const loadMore = async () => {
    if (!page?.nextCursor) return;
    setLoading(true);
    try {
      const next = await fetchPage(page.nextCursor);
      setPage(next);
      setRows((old) => [...old, ...next.items]);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  };

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  };
  const clearFilters = () => setParams(new URLSearchParams(), { replace: true });

  /** The CSV holds exactly the rows on screen: same filters, as many rows as are loaded. */
  const downloadCsv = async () => {
    try {
      const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
      search.set('format', 'csv');
      search.set('limit', String(Math.min(1000, Math.max(rows.length, 1))));
      await download(`/v1/lists/${kind}?${search}`, `${kind}-${page?.asOf ?? 'list'}.csv`);
    } catch (caught) {
      setError(caught);
    }
  };

  const shown = useMemo(() => sortRows(rows, sortBy), [rows, sortBy]);
  const toggle = (id: string) =>
    setExpanded((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const target = event.target as HTMLElement;
      const typing = target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA';
      if (event.key === '/' && !typing) {
        event.preventDefault();
        if (phone) setFiltersOpen(true);
        setTimeout(() => firstFilter.current?.focus(), 0);
      } else if ((event.key === 'j' || event.key === 'k') && !typing && shown.length > 0) {
        event.preventDefault();
        setActive((old) => {
          const next = Math.max(0, Math.min(shown.length - 1, old + (event.key === 'j' ? 1 : -1)));
          rowRefs.current[next]?.focus();
          return next;
        });
      } else if (event.key === 'Escape') {
        setFiltersOpen(false);
        setExpanded(new Set());
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shown.length, phone]);

  const onRowKey = (event: KeyboardEvent, row: ListRow) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter') navigate(`/accounts/${encodeURIComponent(row.externalId)}`);
    else if (event.key === ' ') {
      event.preventDefault();
      toggle(row.externalId);
    }
  };

  const title = kind === 'at-risk' ? 'At risk' : 'Expansion';
  const filtersActive = FILTERS.some((name) => params.get(name));
  const newCount = rows.filter((r) => r.newOnList).length;
  const total = kind === 'at-risk' ? moneyTotals(rows.map((r) => ({ amount: r.arrAtRisk, currency: r.currency }))) : moneyTotals(rows.map((r) => ({ amount: r.expansionArr, currency: r.currency })));

  const filters = (
    <div className="filters" role="group" aria-label="Filters">
      {!ownBookDefault ? (
        <label>
          Owner (e-mail)
          <input ref={firstFilter as React.RefObject<HTMLInputElement>} type="email" placeholder="everyone" defaultValue={ownerParam && ownerParam !== 'all' ? ownerParam : ''} key={ownerParam ?? ''} onBlur={(e) => setFilter('owner', e.target.value.trim())} onKeyDown={(e) => e.key === 'Enter' && setFilter('owner', (e.target as HTMLInputElement).value.trim())} />
        </label>
      ) : (
      <label>
        Owner
        <select ref={firstFilter as React.RefObject<HTMLSelectElement>} value={ownerParam ?? (ownBookDefault ? 'me' : 'all')} onChange={(e) => setFilter('owner', e.target.value === 'me' ? '' : e.target.value)}>
          {ownBookDefault && <option value="me">Me ({ownBookDefault})</option>}
          <option value="all">{ownBookDefault ? 'Everyone I can see' : 'Everyone'}</option>
          {ownerParam && ownerParam !== 'all' && ownerParam !== ownBookDefault && <option value={ownerParam}>{ownerParam}</option>}
        </select>
      </label>
      )}
      <label>
        Segment
        <select value={params.get('segment') ?? ''} onChange={(e) => setFilter('segment', e.target.value)}>
          <option value="">Any</option>
          <option value="self_serve">Self-serve</option>
          <option value="sales_assisted">Sales-assisted</option>
        </select>
      </label>
      <label>
        Grade
        <select value={params.get('grade') ?? ''} onChange={(e) => setFilter('grade', e.target.value)}>
          <option value="">Any</option>
          <option value="red">◆ Red</option>
          <option value="yellow">▲ Yellow</option>
          <option value="green">● Green</option>
        </select>
      </label>
      <label>
        Plan
        <select value={params.get('plan') ?? ''} onChange={(e) => setFilter('plan', e.target.value)}>
          <option value="">Any</option>
          {plans.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          {params.get('plan') && !plans.some((p) => p.id === params.get('plan')) && <option value={params.get('plan')!}>{params.get('plan')}</option>}
        </select>
      </label>
      <label>
        Renews within
        <select value={params.get('renewalWithinDays') ?? ''} onChange={(e) => setFilter('renewalWithinDays', e.target.value)}>
          <option value="">Any time</option>
          <option value="30">30 days</option>
          <option value="90">90 days</option>
          <option value="180">180 days</option>
        </select>
      </label>
      <label>
        Min ARR
        <input type="number" min={0} step={1000} inputMode="numeric" defaultValue={params.get('minArr') ?? ''} key={params.get('minArr') ?? ''} onBlur={(e) => setFilter('minArr', e.target.value)} onKeyDown={(e) => e.key === 'Enter' && setFilter('minArr', (e.target as HTMLInputElement).value)} />
      </label>
      <label>
        As of
        <input type="date" value={params.get('asOf') ?? ''} onChange={(e) => setFilter('asOf', e.target.value)} />
      </label>
      <label>
        Sort
        <select value={sortBy} onChange={(e) => setFilter('sort', e.target.value === 'rank' ? '' : e.target.value)}>
          {SORTS[kind].map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </label>
      {filtersActive && <button type="button" className="link" onClick={clearFilters}>Clear filters</button>}
    </div>
  );

  return (
    <div className="page list-page">
      <LastRunBanner />
      <div className="page-head">
        <h1>{title}</h1>
        <div className="actions">
          {phone && (
            <button type="button" aria-expanded={filtersOpen} aria-controls="filter-sheet" onClick={() => setFiltersOpen(!filtersOpen)}>
              Filters{filtersActive ? ' •' : ''}
            </button>
          )}
          <button type="button" onClick={downloadCsv} disabled={rows.length === 0}>⤓ CSV</button>
        </div>
      </div>
      {phone ? (
        filtersOpen && (
          <div id="filter-sheet" className="sheet" role="dialog" aria-label="Filters">
            {filters}
            <button type="button" onClick={() => setFiltersOpen(false)}>Done</button>
          </div>
        )
      ) : (
        filters
      )}
      {page && (
        <p className="summary" aria-live="polite">
          {integer(rows.length)} account{rows.length === 1 ? '' : 's'}{page.nextCursor ? ' loaded (more below)' : ''} · {total} {kind === 'at-risk' ? 'at risk' : 'expansion ARR'} · {newCount} new
          {page.asOf && <> · as of {page.asOf}</>}
          {page.runId && <> · run {page.runId.slice(0, 8)}</>}
          {rows[0] && <>, config v{rows[0].configVersion}</>}
        </p>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
      {loading && rows.length === 0 && <Skeleton rows={8} />}
      {!loading && error === undefined && rows.length === 0 && (
        page?.asOf === null ? (
          <Empty>No scoring run has finished yet, so there is no list. Runs happen on schedule; RevOps can start one on the Runs page.</Empty>
        ) : (
          <Empty>
            No account on this list matches these filters{owner ? ` (owner ${owner})` : ''}.{' '}
            {filtersActive || ownBookDefault ? <button type="button" className="link" onClick={() => setParams(new URLSearchParams(ownBookDefault ? { owner: 'all' } : {}), { replace: true })}>Clear filters</button> : null}
          </Empty>
        )
      )}
      {shown.length > 0 &&
        (phone ? (
          <ul className="cards" aria-label={title}>
            {shown.map((row, i) => (
              <li key={row.externalId} ref={(el) => { rowRefs.current[i] = el; }} tabIndex={0} className={i === active ? 'active' : ''} onKeyDown={(e) => onRowKey(e, row)} onFocus={() => setActive(i)}>
                <div className="card-line">
                  <Link to={`/accounts/${encodeURIComponent(row.externalId)}`} className="name">{row.newOnList && <span className="new">NEW</span>} {row.name}</Link>
                  <GradeBadge grade={row.grade} />
                </div>
                <div className="card-line muted">
                  {kind === 'at-risk' ? <span>{money(row.arrAtRisk, row.currency)} at risk · {percent(row.churnRisk)} risk</span> : <span>{integer(row.upgradeReadiness)} ready · {money(row.expansionArr, row.currency)} expansion</span>}
                </div>
                <p className="driver">{kind === 'at-risk' ? topDriver(row, kind) : limitSignal(row)}</p>
              </li>
            ))}
          </ul>
        ) : (
          <div className="table-scroll">
            <table className="list">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Account</th>
                  <th scope="col">Grade</th>
                  <th scope="col">Health</th>
                  {kind === 'at-risk' ? (
                    <>
                      <th scope="col">Risk</th>
                      <th scope="col">ARR</th>
                      <th scope="col">At risk</th>
                    </>
                  ) : (
                    <>
                      <th scope="col">Readiness</th>
                      <th scope="col">Plan → next</th>
                      <th scope="col">Expansion ARR</th>
                      <th scope="col">Limit / paywall</th>
                    </>
                  )}
                  <th scope="col">Renews</th>
                  <th scope="col">Top driver</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((row, i) => (
                  <Fragment key={row.externalId}>
                    <tr ref={(el) => { rowRefs.current[i] = el; }} tabIndex={0} className={i === active ? 'active' : ''} onKeyDown={(e) => onRowKey(e, row)} onFocus={() => setActive(i)} aria-expanded={expanded.has(row.externalId)}>
                      <td>{row.rank}</td>
                      <td>
                        <button type="button" className="expand" aria-label={`${expanded.has(row.externalId) ? 'Hide' : 'Show'} details of ${row.name}`} onClick={() => toggle(row.externalId)}>
                          {expanded.has(row.externalId) ? '▾' : '▸'}
                        </button>{' '}
                        {row.newOnList && <span className="new" title="Not on last week's list">NEW</span>}{' '}
                        <Link to={`/accounts/${encodeURIComponent(row.externalId)}`}>{row.name}</Link>
                      </td>
                      <td><GradeBadge grade={row.grade} />{row.override && <span className="override-mark" title={`Override by ${row.override.setBy}: ${row.override.reason}`}> (set {row.override.grade})</span>}</td>
                      <td className="num">{integer(row.healthScore)} <span className="delta">{delta(row.trend.d7)}</span></td>
                      {kind === 'at-risk' ? (
                        <>
                          <td className="num">{percent(row.churnRisk)}</td>
                          <td className="num">{money(row.arr, row.currency)}</td>
                          <td className="num">{money(row.arrAtRisk, row.currency)}</td>
                        </>
                      ) : (
                        <>
                          <td className="num">{integer(row.upgradeReadiness)}</td>
                          <td>{row.plan} → {row.recommendedPlan ?? '—'}</td>
                          <td className="num">{money(row.expansionArr, row.currency)}</td>
                          <td className="driver">{limitSignal(row)}</td>
                        </>
                      )}
                      <td>{row.renewalDate ? `${daysBetween(row.asOf, row.renewalDate)} d` : '—'}</td>
                      <td className="driver">{topDriver(row, kind)}</td>
                    </tr>
                    {expanded.has(row.externalId) && (
                      <tr className="details">
                        <td />
                        <td colSpan={kind === 'at-risk' ? 8 : 9}>
                          <RowDetails row={row} kind={kind} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {page?.nextCursor && (
        <p className="more">
          <button type="button" onClick={loadMore} disabled={loading}>{loading ? 'Loading…' : 'Load more'}</button>
        </p>
      )}
      <p className="hint">Keys: <kbd>/</kbd> filters · <kbd>j</kbd>/<kbd>k</kbd> rows · <kbd>Enter</kbd> open · <kbd>Space</kbd> details · <kbd>Esc</kbd> close</p>
    </div>
  );
}

/** The limit or paywall evidence behind readiness, as the readiness drivers word it ("seats at 94% of the plan limit (47 of 50)"). */
function limitSignal(row: ListRow): string {
  const texts = row.readinessDrivers.map((d) => d.text);
  const found = [texts.find((t) => /limit/i.test(t)), texts.find((t) => /paywall/i.test(t))].filter(Boolean);
  if (found.length > 0) return found.join(' · ');
  return row.limitUtilisation === null ? '—' : `${percent(row.limitUtilisation)} of the nearest limit`;
}

/** The first driver the row does not already show in its limit column. */
function topDriver(row: ListRow, kind: ListKind): string {
  if (kind === 'at-risk') return row.drivers[0]?.text ?? '';
  const shown = limitSignal(row);
  return row.readinessDrivers.find((d) => !shown.includes(d.text))?.text ?? '';
}

function RowDetails({ row, kind }: { row: ListRow; kind: ListKind }) {
  const drivers = kind === 'at-risk' ? row.drivers : row.readinessDrivers;
  return (
    <div className="row-details">
      <ul>
        {drivers.slice(0, 3).map((d, i) => (
          <li key={i}>
            <span aria-hidden="true">{d.direction === 'negative' ? '▼' : '▲'}</span> {d.text}
          </li>
        ))}
      </ul>
      {row.signals.length > 0 && <p>Signals: {row.signals.map((s) => s.text).join('; ')}</p>}
      <p>
        {row.dataFreshness.stale ? <strong>Data {row.dataFreshness.staleDays} d stale</strong> : `Last usage ${dayWithRelative(row.dataFreshness.lastUsageDay, row.asOf)}`}
        {' · '}Owner {row.csmOwner ?? '—'}
        {row.renewalDate && <> · renews {row.renewalDate}</>}
        {' · '}<Link to={`/accounts/${encodeURIComponent(row.externalId)}`}>Open →</Link>
      </p>
    </div>
  );
}
