import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { describeError } from '../api/problem';
import { useSession } from '../session-context';
import type { Grade } from '../api/views';
import { GRADE_SHAPES, GRADE_WORDS } from '../format';

/** Word + shape, so the grade reads without colour (and in a screen reader). */
export function GradeBadge({ grade, label }: { grade: Grade; label?: string }) {
  return (
    <span className={`grade grade-${grade}`}>
      <span aria-hidden="true">{GRADE_SHAPES[grade]}</span> {label ?? GRADE_WORDS[grade]}
    </span>
  );
}

/** A problem+json answer (or a network failure) in words, never a blank page. */
export function ErrorMessage({ error, action }: { error: unknown; action?: ReactNode }) {
  const { me } = useSession();
  const { title, detail, errors } = describeError(error, me?.role);
  return (
    <div className="error" role="alert">
      <strong>{title}</strong>
      {detail && <p>{detail}</p>}
      {errors.length > 0 && (
        <ul>
          {errors.map((e, i) => (
            <li key={i}>
              {e.path && <code>{e.path}</code>} {e.message}
            </li>
          ))}
        </ul>
      )}
      {action}
    </div>
  );
}

export function Skeleton({ rows = 5 }: { rows?: number }) {
  return (
    <div className="skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-row" />
      ))}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change; a newer call wins over a slower older one. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (error: unknown) => mine === generation.current && setState({ error, loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(run, [run]);
  return { data: state.data, error: state.error, loading: state.loading, reload: run };
}

export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

export const usePhone = () => useMediaQuery('(max-width: 640px)');

export function Section({ title, children, id, actions }: { title: string; children: ReactNode; id?: string; actions?: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id ? `${id}-title` : undefined}>
      <div className="card-head">
        <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** Every chart has its numbers as a table too: a <details> under it. */
export function ChartTable({ caption, head, rows }: { caption: string; head: string[]; rows: Array<Array<string | number>> }) {
  return (
    <details className="chart-table">
      <summary>{caption}: show as a table</summary>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>{head.map((h) => <th key={h} scope="col">{h}</th>)}</tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>{row.map((cell, j) => <td key={j}>{cell}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
