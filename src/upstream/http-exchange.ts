import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { UpstreamUnreachableError } from '../errors/boundary-errors.ts';

/** One HTTP exchange: status, headers and the whole body; redirects are never followed. */
export interface Exchange {
  status: number;
  statusText: string;
  headers: Headers;
  body: Buffer;
}

export interface ExchangeOptions {
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer | undefined;
  signal?: AbortSignal | undefined;
  /** A larger response is cut off and rejected (default 1 MiB). */
  maxBytes?: number;
}

/** Kept-alive connections; https verifies certificates as Node does by default. */
const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

const MAX_BYTES = 2 ** 20;

function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return void response.destroy(new Error(`response body larger than ${maxBytes} bytes`));
      chunks.push(chunk);
    });
    response.on('error', reject);
    response.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * node:http(s) without fetch's stream machinery, which costs about twice the CPU per request: Portvagt's
 * calls to upstreams (through openid-client) and the benchmark's driver both go through here. Whatever
 * keeps an answer from arriving (no connection, a reset, the signal's timeout, an oversized body) rejects
 * with UpstreamUnreachableError, its cause the underlying error (or the signal's reason).
 */
export function httpExchange(url: URL, options: ExchangeOptions): Promise<Exchange> {
  const protocol = url.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') return Promise.reject(new TypeError(`not an http(s) URL: ${url.protocol}`));
  const send = protocol === 'https:' ? httpsRequest : httpRequest;
  // The query is left out of the error: it may carry a code or a state.
  const unreachable = (error: unknown) => new UpstreamUnreachableError(`${url.origin}${url.pathname}`, options.signal?.aborted ? options.signal.reason : error);
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => reject(unreachable(error));
    const outgoing = send(url, { method: options.method, headers: options.headers, agent: agents[protocol], signal: options.signal }, (response) => {
      readBody(response, options.maxBytes ?? MAX_BYTES).then((body) => {
        const headers = new Headers();
        const raw = response.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
        resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers, body });
      }, fail);
    });
    outgoing.on('error', fail);
    outgoing.end(options.body);
  });
}
