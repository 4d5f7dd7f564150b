import type { Request } from 'express';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { ProblemException } from '../common/problem.js';

/** The event routes read their own body: the global JSON parser would answer 413 where Segment's limits say 400. */
export const EVENTS_PATH_PREFIX = '/v1/events/';
export const isEventsRequest = (request: { url?: string }) => (request.url ?? '').startsWith(EVENTS_PATH_PREFIX);

const badRequest = (detail: string) => new ProblemException(400, detail, { type: '/problems/bad-event-request', title: 'Invalid event request' });

/**
 * The request body as JSON, at most `limitBytes` once decompressed (SDKs may gzip their batches).
 * Beyond the limit, or on malformed JSON, a 400 that says which.
 */
export async function readJsonBody(request: Request, limitBytes: number, what: string): Promise<unknown> {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  // Browser SDKs send text/plain to avoid a CORS preflight; the body is JSON all the same.
  if (mediaType !== '' && mediaType !== 'application/json' && mediaType !== 'text/plain' && !/^application\/[\w.-]+\+json$/.test(mediaType)) {
    request.resume();
    throw new ProblemException(415, `Content-Type ${mediaType} is not accepted here; send application/json (or text/plain holding JSON)`, { type: '/problems/unsupported-media-type' });
  }
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  let stream: Readable = request;
  if (encoding === 'gzip') stream = request.pipe(createGunzip());
  else if (encoding === 'deflate') stream = request.pipe(createInflate());
  else if (encoding !== 'identity') throw new ProblemException(415, `Content-Encoding ${encoding} is not supported; send gzip, deflate or none`, { type: '/problems/unsupported-encoding' });

  const declared = Number(request.headers['content-length']);
  if (encoding === 'identity' && Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    throw badRequest(`${what} may be at most ${limitBytes / 1024}KB (Segment's limit); this one is ${declared} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > limitBytes) {
        request.resume();
        throw badRequest(`${what} may be at most ${limitBytes / 1024}KB (Segment's limit); this one is larger`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof ProblemException) throw error;
    throw badRequest(`The body could not be read: ${(error as Error).message}`);
  }
  const text = Buffer.concat(chunks, size).toString('utf8');
  if (text.trim() === '') throw badRequest('The body is empty; send a JSON object');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`Malformed JSON body: ${(error as Error).message}`);
  }
}
