import type { ScoreView } from '../../scoring/score-view.js';
import type { DigestItem } from '../webhooks/webhook-event.types.js';

/** Top drivers shown per account: enough to open a call with, short enough for a chat message. */
export const DIGEST_DRIVERS = 3;

/** A list row as the digest shows it: the risk, the money and the reasons in words. */
export function toDigestItem(row: ScoreView & { rank: number; newOnList: boolean }): DigestItem {
  const against = row.drivers.filter((d) => d.direction === 'negative');
  return {
    rank: row.rank,
    externalId: row.externalId,
    name: row.name,
    arr: row.arr,
    currency: row.currency,
    arrAtRisk: row.arrAtRisk,
    churnRisk: row.churnRisk,
    grade: row.grade,
    renewalDate: row.renewalDate,
    drivers: (against.length > 0 ? against : row.drivers).slice(0, DIGEST_DRIVERS).map((d) => d.text),
    newOnList: row.newOnList,
  };
}
