import { ProblemException, type FieldError } from '../common/problem.js';

/**
 * The problem for a rejected config body (see readConfigBody): 400 for a malformed request,
 * 415 for a media type other than JSON or YAML, 422 for a config that fails validation.
 */
export function configProblem(status: 400 | 415 | 422, detail: string, errors: FieldError[]): ProblemException {
  if (status === 415) return new ProblemException(415, detail, { type: '/problems/unsupported-media-type', errors });
  if (status === 400) return new ProblemException(400, detail, { type: '/problems/validation-error', title: 'Invalid request', errors });
  return new ProblemException(422, detail, { type: '/problems/invalid-config', errors });
}
