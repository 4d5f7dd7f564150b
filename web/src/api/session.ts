/**
 * The signed-in key lives in sessionStorage: it survives a reload but not the tab, and never
 * appears in a URL. `me` is what GET /v1/me said about it.
 */
export type Role = 'admin' | 'ingest' | 'csm' | 'sales' | 'revops';

export interface Me {
  keyId: string | null;
  name: string;
  role: Role;
  owner: string | null;
}

const KEY = 'hs.key';
const ME = 'hs.me';
const NOTICE = 'hs.notice';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  me: (): Me | null => {
    const raw = sessionStorage.getItem(ME);
    return raw ? (JSON.parse(raw) as Me) : null;
  },
  signIn(key: string, me: Me): void {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(ME, JSON.stringify(me));
  },
  signOut(notice?: string): void {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ME);
    if (notice) sessionStorage.setItem(NOTICE, notice);
    else sessionStorage.removeItem(NOTICE);
  },
  /** Why the last session ended; kept for the tab so a reload of the sign-in page still says it. */
  notice: (): string | null => sessionStorage.getItem(NOTICE),
  clearNotice: (): void => sessionStorage.removeItem(NOTICE),
};

export const SESSION_ENDED = 'hs:session-ended';
