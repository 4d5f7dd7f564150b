import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { RESERVED_METRIC_NAMES } from './metric-name.js';
import { problemTitle } from './problem.js';

/*
 * Checks every request passes before any route sees it: what the routes' own validation cannot
 * express (a NUL anywhere, nesting deep enough to overflow a recursive walk, a key the pipe would
 * silently drop, a body that is not JSON on a JSON route) and what Node answers itself (an
 * oversized header). Each answers a problem+json 4xx instead of reaching code that would fail
 * with a 500.
 */

/** Deeper than any request body the API defines (the scoring config nests about 6 levels). */
export const MAX_JSON_DEPTH = 32;

/**
 * Routes that read their bodies themselves and answer 415 for what they do not take (product
 * events also come as text/plain from browser SDKs, which avoid a CORS preflight that way).
 */
const OWN_MEDIA_TYPES = [/^\/v1\/usage\/import\/?$/, /^\/v1\/config\/?$/, /^\/v1\/config\/preview\/?$/, /^\/v1\/events\//];

function sendProblem(response: Response, status: number, type: string, detail: string, errors?: Array<{ path: string; message: string }>): void {
  response
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type, title: problemTitle(status), status, detail, ...(errors ? { errors } : {}), instance: safeInstance(response.req.originalUrl) }));
}

/** The URL as an instance, with NULs (which some log shippers choke on) spelled out. */
const safeInstance = (url: string) => url.replace(/%00/gi, '%2500').replace(/\0/g, '\\0');

/** Before the body parsers: NUL in the path or query, and non-JSON bodies on JSON routes. */
export function urlAndMediaTypeGuard(request: Request, response: Response, next: NextFunction): void {
  const url = request.originalUrl ?? request.url;
  if (/%00|\0/i.test(url)) {
    sendProblem(response, 400, '/problems/validation-error', 'The path or query contains a NUL character (%00), which no identifier or value may hold', [
      { path: url.includes('?') && /%00|\0/i.test(url.slice(url.indexOf('?'))) ? 'query' : 'path', message: 'must not contain NUL characters' },
    ]);
    return;
  }
  const path = url.split('?')[0]!;
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  if (hasBody && ['POST', 'PUT', 'PATCH'].includes(request.method) && !OWN_MEDIA_TYPES.some((route) => route.test(path))) {
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      sendProblem(
        response,
        415,
        '/problems/unsupported-media-type',
        `${mediaType ? `Content-Type ${mediaType} is not accepted here` : 'The body has no Content-Type'}; send application/json`,
      );
      return;
    }
  }
  next();
}

/**
 * Keys every JavaScript object already answers for (the reserved metric names). The validation
 * pipe would drop them without a word (NestJS strips them against prototype pollution), so a plan
 * limit or an account attribute so named would be lost.
 */
const OBJECT_KEYS = new Set(RESERVED_METRIC_NAMES);

/** Where a parsed JSON body is too deep, holds a NUL or a key in OBJECT_KEYS, or null when it is fine. Iterative: no stack to overflow. */
export function findBodyProblem(body: unknown, maxDepth = MAX_JSON_DEPTH): { path: string; message: string } | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\0')) return { path: path || '(body)', message: 'must not contain NUL characters' };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) return { path: path || '(body)', message: `nests deeper than ${maxDepth} levels` };
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }));
    } else {
      for (const [key, item] of Object.entries(value)) {
        const child = path ? `${path}.${key}` : key;
        if (key.includes('\0')) return { path: child.replace(/\0/g, '\\0'), message: 'a key must not contain NUL characters' };
        if (OBJECT_KEYS.has(key)) return { path: child, message: `a key must not be ${[...OBJECT_KEYS].join(' or ')}` };
        stack.push({ value: item, path: child, depth: depth + 1 });
      }
    }
  }
  return null;
}

/** After the JSON parser: the parsed body's depth and strings. */
export function jsonBodyGuard(request: Request, response: Response, next: NextFunction): void {
  if (request.body === undefined || typeof request.body !== 'object') return next();
  const problem = findBodyProblem(request.body);
  if (problem) {
    sendProblem(response, 400, '/problems/validation-error', `Invalid body: ${problem.path} ${problem.message}`, [problem]);
    return;
  }
  next();
}

/**
 * Node answers a header block over its limit (16 KiB) with a bare 431 before any route runs;
 * this answers the same status as problem+json. Every other client error is handled exactly as
 * Node's default does (a bare status only when no response is under way, then the socket is
 * destroyed), so nothing changes for timeouts or connections cut mid-request.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } }) => {
    const responding = socket._httpMessage?.headersSent === true;
    if (socket.writable && !responding) {
      if (error.code === 'HPE_HEADER_OVERFLOW') {
        const body = JSON.stringify({
          type: '/problems/headers-too-large',
          title: 'Request Header Fields Too Large',
          status: 431,
          detail: 'The request headers exceed 16 KiB; send large values in the body',
        });
        socket.write(
          `HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      } else {
        const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW' ? '413 Payload Too Large' : '400 Bad Request';
        socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      }
    }
    socket.destroy(error);
  });
}
