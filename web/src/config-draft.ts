/** The config draft being edited, kept for the tab so Backtest can test it and a fit can fill it. */
const DRAFT = 'hs.configDraft';

export const configDraft = {
  get: (): string | null => sessionStorage.getItem(DRAFT),
  set: (yaml: string) => sessionStorage.setItem(DRAFT, yaml),
  clear: () => sessionStorage.removeItem(DRAFT),
};
