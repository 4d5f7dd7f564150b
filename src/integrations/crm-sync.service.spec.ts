import { describe, expect, it } from '@jest/globals';
import { pushRecords, splitDuplicateCrmIds } from './crm-sync.service.js';
import type { BatchOutcome, CrmClient, CrmRecord } from './crm-sync.types.js';
import { crmRecord } from './testing/score-row.factory.js';

/** A CRM that fails whole batches or single ids as told, and records what it was sent. */
function fakeClient(batchSize: number, behaviour: { failBatch?: number; failIds?: string[]; retriesPerBatch?: number } = {}) {
  const sent: string[][] = [];
  const client: CrmClient = {
    crm: 'hubspot',
    batchSize,
    sendBatch: async (records: CrmRecord[]): Promise<BatchOutcome> => {
      sent.push(records.map((r) => r.crmId));
      const whole = sent.length - 1 === behaviour.failBatch;
      const failures = records
        .filter((r) => whole || behaviour.failIds?.includes(r.crmId))
        .map((r) => ({ externalId: r.externalId, crmId: r.crmId, error: whole ? 'HubSpot answered 400' : 'OBJECT_NOT_FOUND' }));
      return { failures, retries: behaviour.retriesPerBatch ?? 0 };
    },
  };
  return { client, sent };
}

const records = (n: number) => Array.from({ length: n }, (_, i) => crmRecord(`acct-${i}`, String(1000 + i)));

describe('pushRecords', () => {
  it('sends batches of the CRM size, in order', async () => {
    const { client, sent } = fakeClient(100);
    const result = await pushRecords(client, records(250));
    expect(sent.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(sent.flat()).toEqual(records(250).map((r) => r.crmId));
    expect(result).toEqual({ failed: [], batches: 3, retries: 0 });
  });

  it('keeps going after a failed batch and collects every failure with its account', async () => {
    const { client, sent } = fakeClient(100, { failBatch: 0, failIds: ['1150'], retriesPerBatch: 1 });
    const result = await pushRecords(client, records(250));
    expect(sent).toHaveLength(3);
    expect(result.failed).toHaveLength(101);
    expect(result.failed.at(-1)).toEqual({ externalId: 'acct-150', crmId: '1150', error: 'OBJECT_NOT_FOUND' });
    expect(result.retries).toBe(3);
  });

  it('reports progress after each batch', async () => {
    const progress: Array<[number, number, number]> = [];
    await pushRecords(fakeClient(200, { failIds: ['1000'] }).client, records(450), { onBatch: (...args) => progress.push(args) });
    expect(progress).toEqual([[200, 450, 1], [400, 450, 1], [450, 450, 1]]);
  });

  it('sends nothing and reports nothing for no records', async () => {
    const { client, sent } = fakeClient(100);
    expect(await pushRecords(client, [])).toEqual({ failed: [], batches: 0, retries: 0 });
    expect(sent).toEqual([]);
  });
});

describe('splitDuplicateCrmIds', () => {
  it('sends the first account of a shared CRM record and reports the others', () => {
    const { unique, duplicates } = splitDuplicateCrmIds([crmRecord('a', '1'), crmRecord('b', '2'), crmRecord('c', '1')]);
    expect(unique.map((r) => r.externalId)).toEqual(['a', 'b']);
    expect(duplicates).toEqual([{ externalId: 'c', crmId: '1', error: 'account a has the same CRM id; only that one was sent' }]);
  });
});
