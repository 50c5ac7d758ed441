/**
 * The benchmark's Browser transport: node:http with kept-alive connections. fetch costs the driver
 * about twice the CPU per request, and the driver shares the machine with the servers it measures.
 */
import { Agent, request } from 'node:http';
import type { Transport } from '../test/helpers/browser.ts';

const agent = new Agent({ keepAlive: true });

export const httpTransport: Transport = (url, method, headers, body) =>
  new Promise((resolve, reject) => {
    if (url.protocol !== 'http:') return reject(new Error(`the benchmark transport speaks plain HTTP only: ${url.href}`));
    const outgoing = request(url, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const received = new Headers();
        const raw = response.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) received.append(raw[i]!, raw[i + 1]!);
        resolve({ status: response.statusCode ?? 0, headers: received, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
