import { describe, expect, it } from '@jest/globals';
import { resolveImportFormat } from './import-format.js';

describe('resolveImportFormat', () => {
  it('recognises CSV and NDJSON media types, ignoring case and a UTF-8 charset', () => {
    expect(resolveImportFormat('text/csv', undefined)).toEqual({ format: 'csv' });
    expect(resolveImportFormat('Text/CSV; charset="UTF-8"', undefined)).toEqual({ format: 'csv' });
    expect(resolveImportFormat('application/x-ndjson', 'identity')).toEqual({ format: 'ndjson' });
    expect(resolveImportFormat('application/ndjson', undefined)).toEqual({ format: 'ndjson' });
  });

  it('refuses other media types, other charsets and compressed bodies with a reason', () => {
    expect(resolveImportFormat('application/json', undefined)).toEqual({ reason: expect.stringMatching(/'application\/json' is not supported/) });
    expect(resolveImportFormat(undefined, undefined)).toEqual({ reason: expect.stringMatching(/\(none\)/) });
    expect(resolveImportFormat('text/csv; charset=latin1', undefined)).toEqual({ reason: expect.stringMatching(/UTF-8/) });
    expect(resolveImportFormat('text/csv', 'gzip')).toEqual({ reason: expect.stringMatching(/uncompressed/) });
  });
});
