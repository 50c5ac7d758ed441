import type * as client from 'openid-client';
import { httpExchange } from './http-exchange.ts';

/** Status codes whose responses carry no body (the Response constructor refuses one). */
const NO_BODY = new Set([101, 204, 205, 304]);

function bodyOf(body: client.CustomFetchOptions['body']): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer) return Buffer.from(new Uint8Array(body));
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError('streamed request bodies are not sent to upstreams');
}

/**
 * openid-client's HTTP calls (discovery, token, JWKS) over node:http(s). An upstream that gives no
 * answer rejects with UpstreamUnreachableError, which the connector finds beneath openid-client's wrapping.
 */
export const upstreamFetch: client.CustomFetch = async (url, options) => {
  const exchange = await httpExchange(new URL(url), { method: options.method, headers: options.headers, body: bodyOf(options.body), signal: options.signal });
  const body = NO_BODY.has(exchange.status) ? null : new Uint8Array(exchange.body);
  return new Response(body, { status: exchange.status, statusText: exchange.statusText, headers: exchange.headers });
};

/** One HTTP call to an upstream as it ended: its HTTP status class (`2xx`, `4xx`, ...) or `error`, and how long it took. */
export interface UpstreamCall {
  upstream: string;
  outcome: string;
  seconds: number;
}

/** Told about every upstream call; the composition root hands it to the metrics. */
export type UpstreamCallObserver = (call: UpstreamCall) => void;

/** `send`, reporting each call's outcome and duration to `observe`. */
export function observedFetch(upstream: string, send: client.CustomFetch, observe: UpstreamCallObserver): client.CustomFetch {
  return async (url, options) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const response = await send(url, options);
      observe({ upstream, outcome: `${Math.floor(response.status / 100)}xx`, seconds: seconds() });
      return response;
    } catch (error) {
      observe({ upstream, outcome: 'error', seconds: seconds() });
      throw error;
    }
  };
}
