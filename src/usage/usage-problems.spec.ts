import { describe, expect, it } from '@jest/globals';
import { copyFailureProblem, lineErrorsProblem, unknownAccountsProblem } from './usage-problems.js';

const pgError = (code: string, message: string, where?: string) => Object.assign(new Error(message), { code, where });

describe('copyFailureProblem', () => {
  it('turns a COPY data error into a 400 naming the line from the error context', () => {
    const problem = copyFailureProblem(pgError('22P04', 'extra data after last expected column', 'COPY usage_staging, line 17: "a,b,c,d,e"'));
    expect(problem?.getStatus()).toBe(400);
    expect(problem?.getResponse()).toMatchObject({ errors: [{ path: 'line 17', message: 'extra data after last expected column' }] });
  });

  it('explains that an unclosed quote is reported where the file ends', () => {
    const problem = copyFailureProblem(pgError('22P04', 'unterminated CSV quoted field', 'COPY usage_staging, line 9'));
    expect(problem?.getResponse()).toMatchObject({ errors: [{ path: 'line 9', message: expect.stringMatching(/never closed/) }] });
  });

  it('leaves errors that are not the file\'s fault alone', () => {
    expect(copyFailureProblem(pgError('57014', 'canceling statement due to user request', 'COPY usage_staging, line 3'))).toBeNull();
    expect(copyFailureProblem(pgError('22P04', 'something', undefined))).toBeNull();
    expect(copyFailureProblem(new Error('socket hang up'))).toBeNull();
  });
});

describe('unknownAccountsProblem', () => {
  it('is a 422 naming the listed ids and counting the rest', () => {
    const problem = unknownAccountsProblem([{ account: 'a', path: 'line 2' }], 3);
    expect(problem.getStatus()).toBe(422);
    expect(problem.getResponse()).toMatchObject({
      detail: expect.stringMatching(/^3 unknown account\(s\): a and 2 more\./),
      errors: [{ path: 'line 2', message: "account 'a' does not exist" }],
    });
  });
});

describe('lineErrorsProblem', () => {
  it('says how many lines are bad when only some problems are listed', () => {
    const problem = lineErrorsProblem([{ path: 'line 2', message: 'x' }], 70);
    expect(problem.getResponse()).toMatchObject({ status: 400, detail: expect.stringMatching(/^70 line\(s\) .* the first 1 problems are listed/) });
  });
});
