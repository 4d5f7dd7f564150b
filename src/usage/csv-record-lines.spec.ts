import { describe, expect, it } from '@jest/globals';
import { CsvRecordLines } from './csv-record-lines.js';

const follow = (text: string, chunkSize = 3) => {
  const lines = new CsvRecordLines();
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunkSize) lines.feed(bytes.subarray(i, i + chunkSize));
  return lines;
};

describe('CSV record lines', () => {
  it('maps records to the same line numbers when no field spans lines', () => {
    const lines = follow('account,metric,day,value\nacme,logins,2026-01-01,1\nacme,logins,2026-01-02,2\n');
    expect([1, 2, 3].map((r) => lines.lineOf(r))).toEqual([1, 2, 3]);
  });

  it('shifts the records after a quoted line break, whatever the chunking', () => {
    const text = 'account,metric,day,value\n"ac\nme",logins,2026-01-01,1\nacme,logins,2026-01-02,x\n"a\n\nb",logins,2026-01-03,1\nacme,logins,bad,1\n';
    for (const size of [1, 2, 7, 1000]) {
      const lines = follow(text, size);
      // Records 2..5 start on lines 2, 4, 5 and 8.
      expect([1, 2, 3, 4, 5].map((r) => lines.lineOf(r))).toEqual([1, 2, 4, 5, 8]);
    }
  });

  it('treats doubled quotes inside a field as text', () => {
    const lines = follow('a,b,c,d\n"say ""hi""\nthere",m,2026-01-01,1\nx,m,2026-01-01,1\n');
    expect(lines.lineOf(3)).toBe(4);
  });
});
