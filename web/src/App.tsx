import { Component, lazy, Suspense, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { SESSION_ENDED, session, type Me } from './api/session';
import { ErrorMessage, Skeleton } from './components/ui';
import { ListPage } from './pages/ListPage';
import { SignInPage } from './pages/SignInPage';
import { landingPath, NAV, SessionContext, useSession } from './session-context';

const AccountPage = lazy(() => import('./pages/AccountPage'));
const AlertsPage = lazy(() => import('./pages/AlertsPage'));
const ConfigPage = lazy(() => import('./pages/ConfigPage'));
const BacktestPage = lazy(() => import('./pages/BacktestPage'));
const RunsPage = lazy(() => import('./pages/RunsPage'));
const IntegrationsPage = lazy(() => import('./pages/IntegrationsPage'));

export function App() {
  const [me, setMe] = useState<Me | null>(() => (session.key() ? session.me() : null));
  const [notice, setNotice] = useState<string | null>(() => (session.key() ? null : session.notice()));
  const navigate = useNavigate();
  const location = useLocation();

  const signOut = useCallback(
    (why?: string) => {
      session.signOut(why);
      setNotice(why ?? null);
      setMe(null);
      navigate('/sign-in', { state: { from: location.pathname + location.search } });
    },
    [navigate, location.pathname, location.search],
  );
  const state = useMemo(
    () => ({
      me,
      notice,
      signIn: (key: string, who: Me) => {
        session.signIn(key, who);
        session.clearNotice();
        setNotice(null);
        setMe(who);
      },
      signOut,
    }),
    [me, notice, signOut],
  );

  // Lists open fast; the account page's chart code is fetched once the first page is idle.
  useEffect(() => {
    if (!me) return;
    const timer = setTimeout(() => void import('./pages/AccountPage'), 1500);
    return () => clearTimeout(timer);
  }, [me]);

  useEffect(() => {
    const ended = () => signOut('Your session has ended: the service no longer accepts this key (revoked or expired). Sign in again with a current key.');
    window.addEventListener(SESSION_ENDED, ended);
    return () => window.removeEventListener(SESSION_ENDED, ended);
  }, [signOut]);

  return (
    <SessionContext.Provider value={state}>
      <a className="skip-link" href="#main">Skip to content</a>
      {me && <Header />}
      <main id="main" tabIndex={-1}>
        <PageBoundary key={location.pathname}>
          <Suspense fallback={<Skeleton rows={8} />}>
            <Routes>
              <Route path="/sign-in" element={<SignInPage />} />
              <Route path="/" element={<Guard>{me && <Navigate to={landingPath(me.role)} replace />}</Guard>} />
              <Route path="/at-risk" element={<Guard><ListPage kind="at-risk" /></Guard>} />
              <Route path="/expansion" element={<Guard><ListPage kind="expansion" /></Guard>} />
              <Route path="/accounts/:externalId" element={<Guard><AccountPage /></Guard>} />
              <Route path="/alerts" element={<Guard><AlertsPage /></Guard>} />
              <Route path="/config" element={<Guard><ConfigPage /></Guard>} />
              <Route path="/backtest" element={<Guard><BacktestPage /></Guard>} />
              <Route path="/runs" element={<Guard><RunsPage /></Guard>} />
              <Route path="/integrations" element={<Guard><IntegrationsPage /></Guard>} />
              <Route path="/signed-in" element={<Guard><NothingHere /></Guard>} />
              <Route path="*" element={<Guard><NotFound /></Guard>} />
            </Routes>
          </Suspense>
        </PageBoundary>
      </main>
    </SessionContext.Provider>
  );
}

function Guard({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const location = useLocation();
  if (!me) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

function Header() {
  const { me, signOut } = useSession();
  const [open, setOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setOpen(false), [location.pathname]);
  if (!me) return null;
  const items = NAV.filter((item) => item.roles.includes(me.role));
  return (
    <header className="top">
      <NavLink to="/" className="brand">Health Signals</NavLink>
      <button type="button" className="menu-button" aria-expanded={open} aria-controls="main-nav" onClick={() => setOpen(!open)}>
        Menu
      </button>
      <nav id="main-nav" aria-label="Main" className={open ? 'open' : ''}>
        {items.map((item) => (
          <NavLink key={item.path} to={item.path}>{item.label}</NavLink>
        ))}
      </nav>
      <div className="who">
        <span title={me.owner ?? undefined}>
          {me.owner ?? me.name} · <span className="role">{me.role}</span>
        </span>
        <button type="button" className="link" onClick={() => signOut()}>Sign out</button>
      </div>
    </header>
  );
}

function NotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>Nothing lives at this address. Use the menu above.</p>
    </div>
  );
}

function NothingHere() {
  const { me } = useSession();
  return (
    <div className="page">
      <h1>Signed in</h1>
      <p>
        Keys with the role <strong>{me?.role}</strong> feed data into the service; the console's pages are for csm, sales, revops and admin keys.
      </p>
    </div>
  );
}

/** A page that throws shows what happened instead of a blank screen. */
class PageBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    if (this.state.error !== undefined) {
      return (
        <div className="page">
          <ErrorMessage error={this.state.error} action={<p><button type="button" onClick={() => location.reload()}>Reload the page</button></p>} />
        </div>
      );
    }
    return this.props.children;
  }
}
