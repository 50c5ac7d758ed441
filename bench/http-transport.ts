/**
 * The benchmark's Browser transport: Portvagt's own node:http exchange instead of fetch, which costs
 * the driver about twice the CPU per request on a machine it shares with the servers it measures.
 */
import { httpExchange } from '../src/upstream/http-exchange.ts';
import type { Transport } from '../support/browser.ts';

export const httpTransport: Transport = async (url, method, headers, body) => {
  const exchange = await httpExchange(url, { method, headers, body });
  return { status: exchange.status, headers: exchange.headers, body: exchange.body.toString('utf8') };
};
