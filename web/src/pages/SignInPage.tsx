import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api, ok } from '../api/client';
import { ApiError } from '../api/problem';
import type { Me } from '../api/session';
import { ErrorMessage } from '../components/ui';
import { landingPath, useSession } from '../session-context';

/** Asks the service who a key is: GET /v1/me → { keyId, name, role, owner }. */
async function whoIs(key: string): Promise<Me> {
  const me = await ok(api.GET('/v1/me', { headers: { Authorization: `Bearer ${key}` } }));
  // keyId and owner are documented without a type (nullable strings), hence String().
  return { keyId: me.keyId ? String(me.keyId) : null, name: me.name, role: me.role, owner: me.owner ? String(me.owner) : null };
}

export function SignInPage() {
  const { signIn, me, notice } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const from = (location.state as { from?: string } | null)?.from;

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    if (me) navigate(from && from !== '/sign-in' ? from : landingPath(me.role), { replace: true });
  }, [me, from, navigate]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const key = input.current?.value.trim() ?? '';
    if (!key) return setError(new ApiError(401, 'Enter an API key', 'Ask an admin for a key with the role csm, sales or revops.'));
    setBusy(true);
    setError(undefined);
    try {
      signIn(key, await whoIs(key));
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.status === 401
          ? new ApiError(401, 'This key was not accepted', 'Check that it is complete and has not been revoked; keys are shown once when created.')
          : caught,
      );
      input.current?.select();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sign-in">
      <h1>Health Signals</h1>
      <p>Sign in with your API key. It is kept in this tab only and never written into an address.</p>
      {notice && <div className="notice" role="status">{notice}</div>}
      <form onSubmit={submit} noValidate>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" ref={input} type="password" autoComplete="current-password" spellCheck={false} aria-invalid={error ? true : undefined} aria-describedby={error ? 'sign-in-error' : undefined} />
        <button type="submit" disabled={busy}>{busy ? 'Checking…' : 'Sign in'}</button>
      </form>
      {error !== undefined && <div id="sign-in-error"><ErrorMessage error={error} /></div>}
    </div>
  );
}
