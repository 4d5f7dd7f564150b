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
  signOut(): void {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ME);
  },
};

export const SESSION_ENDED = 'hs:session-ended';
