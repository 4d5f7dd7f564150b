import { createContext, useContext } from 'react';
import type { Me } from './api/session';

export interface SessionState {
  me: Me | null;
  /** Why the last session ended, for the sign-in page; cleared by the next sign-in. */
  notice: string | null;
  signIn(key: string, me: Me): void;
  signOut(notice?: string): void;
}

export const SessionContext = createContext<SessionState>({ me: null, notice: null, signIn: () => undefined, signOut: () => undefined });
export const useSession = () => useContext(SessionContext);

/** Pages each role uses, in nav order; the first is where the role lands after sign-in. */
export const NAV: Array<{ path: string; label: string; roles: Me['role'][] }> = [
  { path: '/at-risk', label: 'At risk', roles: ['csm', 'sales', 'revops', 'admin'] },
  { path: '/expansion', label: 'Expansion', roles: ['sales', 'csm', 'revops', 'admin'] },
  { path: '/alerts', label: 'Alerts', roles: ['csm', 'sales', 'revops', 'admin'] },
  { path: '/config', label: 'Config', roles: ['revops', 'admin'] },
  { path: '/backtest', label: 'Backtest', roles: ['revops', 'admin'] },
  { path: '/runs', label: 'Runs', roles: ['revops', 'admin'] },
  { path: '/integrations', label: 'Webhooks & CRM', roles: ['revops', 'admin'] },
];

export function landingPath(role: Me['role']): string {
  if (role === 'csm') return '/at-risk';
  if (role === 'sales') return '/expansion';
  if (role === 'revops' || role === 'admin') return '/runs';
  return '/signed-in';
}
