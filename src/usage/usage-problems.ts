import { ProblemException, unprocessable, validationProblem, type FieldError } from '../common/problem.js';

/** An account the request names that does not exist, and where it is first named. */
export interface UnknownAccount {
  account: string;
  path: string;
}

/** 422: usage is never guessed onto accounts that do not exist (README, "API"). */
export function unknownAccountsProblem(listed: UnknownAccount[], total: number): ProblemException {
  const names = listed.map((u) => u.account).join(', ');
  const more = total > listed.length ? ` and ${total - listed.length} more` : '';
  return unprocessable(
    `${total} unknown account(s): ${names}${more}. Create them first (PUT /v1/accounts/{externalId}); nothing was written.`,
    listed.map((u) => ({ path: u.path, message: `account '${u.account}' does not exist` })),
  );
}

/**
 * 400 for a file with bad lines, 422 when every bad line is well formed but out of range;
 * `badLines` counts them all, `errors` lists the first few.
 */
export function lineErrorsProblem(errors: FieldError[], badLines: number, outOfRangeOnly = false): ProblemException {
  const shown = errors.length < badLines ? `; the first ${errors.length} problems are listed` : '';
  if (outOfRangeOnly) {
    return new ProblemException(422, `${badLines} line(s) of the file hold values outside the accepted range${shown}. Nothing was written.`, {
      type: '/problems/out-of-range',
      title: 'Value out of range',
      errors,
    });
  }
  return validationProblem(`${badLines} line(s) of the file are invalid${shown}. Nothing was written.`, errors);
}

export function fileProblem(detail: string, errors: FieldError[] = []): ProblemException {
  return validationProblem(`${detail} Nothing was written.`, errors);
}

interface PgErrorLike {
  code?: string;
  constraint?: string;
  message: string;
  where?: string;
}

const isPgError = (error: unknown): error is PgErrorLike =>
  error instanceof Error && typeof (error as PgErrorLike).code === 'string' && /^[0-9A-Z]{5}$/.test((error as PgErrorLike).code ?? '');

/**
 * A COPY that PostgreSQL refused (wrong column count, unterminated quote, bad encoding) names
 * the record in the error's context, e.g. `COPY usage_staging, line 17: "..."`. Data errors
 * (class 22) become a 400 naming that line; anything else is not the file's fault.
 */
export function copyFailureProblem(error: unknown): ProblemException | null {
  if (!isPgError(error) || !error.code?.startsWith('22')) return null;
  const line = /\bCOPY \w+, line (\d+)/.exec(error.where ?? '')?.[1];
  if (line === undefined) return null;
  // PostgreSQL reports an unclosed quote where the input ran out, not where the quote opened.
  const message = /unterminated CSV quoted field/.test(error.message)
    ? `${error.message}: the file ends inside a quoted field, so a quote opened on this or an earlier line is never closed`
    : error.message;
  return fileProblem(`The file could not be read as CSV at line ${line}.`, [{ path: `line ${line}`, message }]);
}

/** Add-mode sums beyond the accepted usage value (the table's range check) or float8 itself. */
export function isNumericOverflow(error: unknown): boolean {
  return isPgError(error) && (error.code === '22003' || (error.code === '23514' && error.constraint === 'usage_daily_value_range'));
}
