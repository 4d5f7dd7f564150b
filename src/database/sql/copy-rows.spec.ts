import { describe, expect, it } from '@jest/globals';
import { copyTextField } from './copy-rows.js';

describe('copyTextField (COPY text format)', () => {
  it('writes NULL as \\N, booleans as t/f and numbers as JavaScript prints them', () => {
    expect([null, undefined, true, false, 0, -1.5, 1e21].map(copyTextField)).toEqual(['\\N', '\\N', 't', 'f', '0', '-1.5', '1e+21']);
  });

  it('escapes the characters COPY gives a meaning to, and only those', () => {
    expect(copyTextField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyTextField('plain, "quoted" text; é')).toBe('plain, "quoted" text; é');
    // An empty string is a value, not NULL.
    expect(copyTextField('')).toBe('');
  });

  it('writes objects and arrays as JSON, escaping the backslashes JSON itself writes', () => {
    expect(copyTextField({ text: 'say "hi"\n' })).toBe('{"text":"say \\\\"hi\\\\"\\\\n"}');
    expect(copyTextField([1, 'two'])).toBe('[1,"two"]');
  });
});
