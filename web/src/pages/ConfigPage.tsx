import { diffLines } from 'diff';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../api/client';
import { ApiError, type FieldError } from '../api/problem';
import type { components } from '../api/schema.gen';
import { configDraft } from '../config-draft';
import { Empty, ErrorMessage, GradeBadge, Section, Skeleton, usePhone } from '../components/ui';
import { YamlEditor, type YamlEditorHandle } from '../components/YamlEditor';
import { dateTime, integer, money } from '../format';
import { useSession } from '../session-context';
import { lineOfPath } from '../yaml-paths';

type Preview = components['schemas']['ConfigPreviewDto'];
type Version = components['schemas']['ConfigVersionListItemDto'];
type Grade = 'green' | 'yellow' | 'red';

async function versionYaml(version?: number): Promise<{ yaml: string; etag: string | null }> {
  const result = version === undefined
    ? await api.GET('/v1/config', { params: { query: { format: 'yaml' } }, parseAs: 'text' })
    : await api.GET('/v1/config/versions/{version}', { params: { path: { version: String(version) }, query: { format: 'yaml' } }, parseAs: 'text' });
  const yaml = await ok(result as unknown as Promise<{ data?: string; error?: unknown; response: Response }>);
  return { yaml, etag: result.response.headers.get('ETag') };
}

export default function ConfigPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('diff') || params.get('tab') === 'versions' ? 'versions' : 'editor';
  return (
    <div className="page">
      <div className="page-head"><h1>Scoring config</h1></div>
      <div className="tabs" role="tablist" aria-label="Config">
        <button type="button" id="tab-editor" role="tab" aria-controls="config-panel" aria-selected={tab === 'editor'} onClick={() => setParams({}, { replace: true })}>Editor and preview</button>
        <button type="button" id="tab-versions" role="tab" aria-controls="config-panel" aria-selected={tab === 'versions'} onClick={() => setParams({ tab: 'versions' }, { replace: true })}>Versions</button>
      </div>
      <div role="tabpanel" id="config-panel" aria-labelledby={`tab-${tab}`}>
        {tab === 'editor' ? <EditorTab /> : <VersionsTab />}
      </div>
    </div>
  );
}

function EditorTab() {
  const { me } = useSession();
  const phone = usePhone();
  const canSave = (me?.role === 'revops' || me?.role === 'admin') && !phone;
  const [active, setActive] = useState<{ yaml: string; etag: string | null }>();
  const [text, setText] = useState('');
  const [loadError, setLoadError] = useState<unknown>();
  const [error, setError] = useState<unknown>();
  const [preview, setPreview] = useState<Preview>();
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const [comment, setComment] = useState('');
  const [saved, setSaved] = useState<string>();
  const editor = useRef<YamlEditorHandle>(null);
  const commentField = useRef<HTMLInputElement>(null);

  const loadActive = useCallback(async () => {
    try {
      const current = await versionYaml();
      setActive(current);
      setText(configDraft.get() ?? current.yaml);
    } catch (caught) {
      setLoadError(caught);
    }
  }, []);
  useEffect(() => {
    void loadActive();
  }, [loadActive]);

  const edit = (value: string) => {
    setText(value);
    configDraft.set(value);
    setSaved(undefined);
  };

  const fieldErrors: FieldError[] = error instanceof ApiError ? error.errors : [];
  const located = useMemo(() => fieldErrors.map((e) => ({ ...e, line: e.path ? lineOfPath(text, e.path) : null })), [fieldErrors, text]);
  const badLines = useMemo(() => new Set(located.map((e) => e.line).filter((l): l is number => l !== null)), [located]);
  // New errors bring the first bad line into view.
  const firstBad = located.find((e) => e.line !== null)?.line ?? null;
  useEffect(() => {
    if (firstBad !== null) editor.current?.scrollToLine(firstBad);
  }, [error, firstBad]);

  const runPreview = useCallback(async () => {
    setBusy('preview');
    setError(undefined);
    setSaved(undefined);
    try {
      setPreview(await ok(api.POST('/v1/config/preview', { params: { query: { limit: 20 } }, body: { config: text } })));
    } catch (caught) {
      setPreview(undefined);
      setError(caught);
    } finally {
      setBusy(null);
    }
  }, [text]);

  const save = useCallback(async () => {
    if (!comment.trim()) {
      setError(new ApiError(422, 'A comment is needed to save', 'Say what changed and why; it is stored with the version.', [{ path: 'comment', message: 'is required' }]));
      commentField.current?.focus();
      return;
    }
    setBusy('save');
    setError(undefined);
    try {
      const change = await ok(
        api.PUT('/v1/config', {
          params: { header: { 'X-Config-Comment': comment.trim(), ...(active?.etag ? { 'If-Match': active.etag } : {}) } },
          body: text,
          bodySerializer: (body: unknown) => body as string,
          headers: { 'Content-Type': 'application/yaml' },
        }),
      );
      setSaved(change.changed ? `Saved as version ${change.version}${change.previousVersion ? ` (was v${change.previousVersion})` : ''}. Runs from now on use it.` : 'Unchanged: this is the active config already.');
      configDraft.clear();
      setComment('');
      setPreview(undefined);
      const current = await versionYaml();
      setActive(current);
      setText(current.yaml);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  }, [comment, text, active]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
        event.preventDefault();
        void runPreview();
      } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's' && canSave) {
        event.preventDefault();
        void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [runPreview, save, canSave]);

  if (loadError !== undefined) return <ErrorMessage error={loadError} />;
  if (!active) return <Skeleton rows={10} />;
  const dirty = text !== active.yaml;
  return (
    <div className="config-editor">
      <p className="muted">
        {dirty ? 'Draft: differs from the active config.' : 'The active config.'} {phone && 'Read-only on a phone: edit on a larger screen.'} Keys: <kbd>Ctrl</kbd>+<kbd>Enter</kbd> preview · <kbd>Ctrl</kbd>+<kbd>S</kbd> save
      </p>
      <YamlEditor ref={editor} value={text} onChange={edit} badLines={badLines} readOnly={!canSave} label="Scoring config (YAML)" />
      {error !== undefined && (
        <div className="error" role="alert">
          <strong>{error instanceof ApiError ? error.title : 'Failed'}</strong>
          {error instanceof ApiError && error.detail && <p>{error.detail}</p>}
          {!(error instanceof ApiError) && <ErrorMessage error={error} />}
          {located.length > 0 && (
            <ul className="config-errors">
              {located.map((e, i) => (
                <li key={i}>
                  <code>{e.path || '(document)'}</code>{' '}
                  {e.line !== null ? <button type="button" className="link" onClick={() => editor.current?.goToLine(e.line!)}>line {e.line}</button> : null}: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="actions" style={{ margin: '0.75rem 0' }}>
        <button type="button" onClick={runPreview} disabled={busy !== null}>{busy === 'preview' ? 'Previewing…' : 'Preview changes'}</button>
        {canSave && (
          <>
            <label className="field" style={{ flex: '1 1 18rem' }}>
              Comment (required to save)
              <input ref={commentField} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="e.g. engagement weighs more for self-serve" />
            </label>
            <button type="button" onClick={save} disabled={busy !== null || !dirty}>{busy === 'save' ? 'Saving…' : 'Save as new version'}</button>
          </>
        )}
        {dirty && <button type="button" className="secondary" onClick={() => { configDraft.clear(); setText(active.yaml); setError(undefined); setPreview(undefined); }}>Discard draft</button>}
        <Link to="/backtest">Backtest this draft →</Link>
      </div>
      {saved && <p className="success" role="status">{saved}</p>}
      {preview && <PreviewView preview={preview} />}
    </div>
  );
}

function PreviewView({ preview }: { preview: Preview }) {
  const grades: Grade[] = ['green', 'yellow', 'red'];
  const matrix = new Map<string, number>();
  for (const change of preview.gradeChanges) matrix.set(`${change.from}>${change.to}`, (matrix.get(`${change.from}>${change.to}`) ?? 0) + 1);
  const s = preview.summary;
  return (
    <div className="preview" aria-live="polite">
      <Section title={`Preview on ${preview.asOf}: ${preview.accountsCompared} accounts compared with config v${preview.activeVersion}`} id="preview">
        {preview.candidateIsActive && <p className="notice">The draft equals the active config: nothing would change.</p>}
        <dl className="facts">
          <div><dt>At-risk list</dt><dd>{s.atRiskCount.before} → {s.atRiskCount.after}</dd></div>
          <div><dt>Expansion list</dt><dd>{s.expansionCount.before} → {s.expansionCount.after}</dd></div>
          <div><dt>Mean health</dt><dd>{s.meanHealth.before?.toFixed(1) ?? '—'} → {s.meanHealth.after?.toFixed(1) ?? '—'}</dd></div>
          <div><dt>Grade changes</dt><dd>{preview.counts.gradeChanges}</dd></div>
        </dl>
        <h3>Grade moves (rows: before, columns: after)</h3>
        <table className="matrix" style={{ maxWidth: '28rem' }}>
          <thead><tr><th scope="col">before \ after</th>{grades.map((g) => <th key={g} scope="col"><GradeBadge grade={g} /></th>)}</tr></thead>
          <tbody>
            {grades.map((from) => (
              <tr key={from}>
                <th scope="row"><GradeBadge grade={from} /> <span className="muted">({s.grades.before[from]})</span></th>
                {grades.map((to) => <td key={to}>{from === to ? '·' : (matrix.get(`${from}>${to}`) ?? 0)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <div className="two-col">
        <ListChanges title="At-risk list" changes={preview.atRisk} entered={preview.counts.atRiskEntered} exited={preview.counts.atRiskExited} money={(m) => money(m.after?.arrAtRisk ?? m.before?.arrAtRisk ?? 0)} />
        <ListChanges title="Expansion list" changes={preview.expansion} entered={preview.counts.expansionEntered} exited={preview.counts.expansionExited} money={(m) => money(m.after?.expansionArr ?? m.before?.expansionArr ?? 0)} />
      </div>
      <Section title="Largest rank moves" id="rank-moves">
        {preview.rankChanges.length === 0 ? <p className="muted">No account changes rank.</p> : (
          <table>
            <thead><tr><th scope="col">Account</th><th scope="col" className="num">Rank before</th><th scope="col" className="num">After</th><th scope="col" className="num">Move</th></tr></thead>
            <tbody>
              {preview.rankChanges.map((r) => (
                <tr key={r.externalId}><td><Link to={`/accounts/${encodeURIComponent(r.externalId)}`}>{r.name}</Link></td><td className="num">{r.from}</td><td className="num">{r.to}</td><td className="num">{r.delta > 0 ? `▼ ${r.delta}` : `▲ ${-r.delta}`}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}

type ListMove = components['schemas']['ListMoveDto'];

function ListChanges({ title, changes, entered, exited, money: amount }: { title: string; changes: components['schemas']['ListChangesDto']; entered: number; exited: number; money: (m: ListMove) => string }) {
  return (
    <Section title={`${title}: ${entered} enter, ${exited} leave`} id={title.replace(/\W+/g, '-').toLowerCase()}>
      {entered + exited === 0 && <p className="muted">Nobody enters or leaves.</p>}
      {changes.entered.length > 0 && (
        <>
          <h3>Enter</h3>
          <ul className="list-changes" data-kind="entered">{changes.entered.map((m) => <li key={m.externalId}>+ <Link to={`/accounts/${encodeURIComponent(m.externalId)}`}>{m.name}</Link> {amount(m)}</li>)}</ul>
          {entered > changes.entered.length && <p className="muted">… and {entered - changes.entered.length} more</p>}
        </>
      )}
      {changes.exited.length > 0 && (
        <>
          <h3>Leave</h3>
          <ul className="list-changes" data-kind="exited">{changes.exited.map((m) => <li key={m.externalId}>− <Link to={`/accounts/${encodeURIComponent(m.externalId)}`}>{m.name}</Link> {amount(m)}</li>)}</ul>
          {exited > changes.exited.length && <p className="muted">… and {exited - changes.exited.length} more</p>}
        </>
      )}
    </Section>
  );
}

function VersionsTab() {
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const [versions, setVersions] = useState<Version[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [diff, setDiff] = useState<Array<{ value: string; added?: boolean; removed?: boolean }>>();
  const [notice, setNotice] = useState<string>();
  const [a = 0, b = 0] = (params.get('diff') ?? '').split('..').map(Number);

  const load = useCallback(async (after?: string) => {
    setLoading(true);
    try {
      const page = await ok(api.GET('/v1/config/versions', { params: { query: { limit: 50, ...(after ? { cursor: after } : {}) } } }));
      setVersions((old) => (after ? [...old, ...page.items] : page.items));
      setCursor(page.nextCursor ?? null);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (!a || !b) return setDiff(undefined);
    let current = true;
    Promise.all([versionYaml(a), versionYaml(b)]).then(
      ([left, right]) => current && setDiff(diffLines(strip(left.yaml), strip(right.yaml))),
      (caught: unknown) => current && setError(caught),
    );
    return () => {
      current = false;
    };
  }, [a, b]);

  const pick = (side: 0 | 1, version: number) => {
    const pair = [a || version, b || version];
    pair[side] = version;
    setParams({ diff: `${pair[0]}..${pair[1]}` }, { replace: true });
  };

  const restore = async (version: number) => {
    setError(undefined);
    try {
      const { yaml } = await versionYaml(version);
      const change = await ok(api.PUT('/v1/config', { params: { header: { 'X-Config-Comment': `Restore of version ${version}` } }, body: yaml, bodySerializer: (body: unknown) => body as string, headers: { 'Content-Type': 'application/yaml' } }));
      setNotice(change.changed ? `Version ${version} restored as version ${change.version}.` : `Version ${version} is the active config already.`);
      await load();
    } catch (caught) {
      setError(caught);
    }
  };

  const canRestore = me?.role === 'revops' || me?.role === 'admin';
  return (
    <div>
      {notice && <p className="success" role="status">{notice}</p>}
      {error !== undefined && <ErrorMessage error={error} />}
      {loading && versions.length === 0 && <Skeleton rows={5} />}
      {!loading && versions.length === 0 && <Empty>No version stored yet.</Empty>}
      {versions.length > 0 && (
        <div className="table-scroll">
          <table className="versions">
            <thead><tr><th scope="col">Version</th><th scope="col">When</th><th scope="col">Author</th><th scope="col">Source</th><th scope="col">Comment</th><th scope="col">Diff from</th><th scope="col">to</th><th scope="col" /></tr></thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version} data-version={v.version}>
                  <td>v{v.version}{v.active && <strong> (active)</strong>}</td>
                  <td>{dateTime(v.createdAt)}</td>
                  <td>{v.author}</td>
                  <td>{v.source}</td>
                  <td>{v.comment ?? ''}</td>
                  <td><input type="radio" name="diff-from" aria-label={`Diff from v${v.version}`} checked={a === v.version} onChange={() => pick(0, v.version)} /></td>
                  <td><input type="radio" name="diff-to" aria-label={`Diff to v${v.version}`} checked={b === v.version} onChange={() => pick(1, v.version)} /></td>
                  <td>{canRestore && !v.active && <button type="button" className="secondary" onClick={() => restore(v.version)}>Restore as new</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && <p className="more"><button type="button" onClick={() => load(cursor)}>Load more</button></p>}
      {a > 0 && b > 0 && (
        <Section title={`Diff v${a} → v${b}`} id="diff">
          {!diff ? <Skeleton rows={3} /> : diff.every((part) => !part.added && !part.removed) ? <p className="muted">The two versions are the same.</p> : (
            <div className="diff" aria-label={`Changes from v${a} to v${b}`}>
              {diff.flatMap((part, i) =>
                part.added || part.removed
                  ? part.value.replace(/\n$/, '').split('\n').map((line, j) => <div key={`${i}-${j}`} className={part.added ? 'add' : 'del'}>{line}</div>)
                  : [<div key={i} className="muted">{contextOf(part.value)}</div>],
              )}
            </div>
          )}
        </Section>
      )}
    </div>
  );
}

/** The served YAML starts with comments naming the version; they differ always, so they are left out of the diff. */
const strip = (yaml: string) => yaml.split('\n').filter((line, i, all) => !(line.startsWith('#') && all.slice(0, i).every((l) => l.startsWith('#')))).join('\n');

/** Unchanged runs shrink to their first and last lines. */
function contextOf(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines.length <= 4) return lines.join('\n');
  return `${lines.slice(0, 2).join('\n')}\n  … ${integer(lines.length - 4)} unchanged lines …\n${lines.slice(-2).join('\n')}`;
}
