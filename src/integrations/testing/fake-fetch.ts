import type { CrmHttpDeps, RetryPolicy } from '../crm-http.util.js';

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** An answer to script: a Response to return, or an Error for fetch to throw. */
export type ScriptedAnswer = Response | Error | ((call: RecordedCall) => Response);

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/**
 * fetch and sleep for client specs: answers come from the script in order (the last one repeats),
 * every call and every requested wait is recorded, and no time passes.
 */
export function fakeHttp(script: ScriptedAnswer[], policy: Partial<RetryPolicy> = {}) {
  const calls: RecordedCall[] = [];
  const sleeps: number[] = [];
  let clock = 1_700_000_000_000;
  const deps: CrmHttpDeps = {
    fetch: async (input, init) => {
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const call = { url: String(input), method: init?.method ?? 'GET', headers, body: JSON.parse(String(init?.body ?? 'null')) as unknown };
      calls.push(call);
      const answer = script[Math.min(calls.length - 1, script.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return typeof answer === 'function' ? answer(call) : answer.clone();
    },
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
    policy: { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 60_000, timeoutMs: 5_000, ...policy },
  };
  return { deps, calls, sleeps, advance: (ms: number) => (clock += ms) };
}
