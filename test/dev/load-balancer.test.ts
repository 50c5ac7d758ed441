import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { roundRobin, startBalancer, type RunningBalancer } from '../../scripts/load-balancer.ts';
import { freePort } from '../helpers/harness.ts';

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

/** A backend that counts the requests it received and answers with `behaviour`. */
async function backend(behaviour: 'answer' | 'reset'): Promise<{ url: string; received: string[]; server: Server }> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(`${req.method} ${req.url}`);
      if (behaviour === 'reset') req.socket.destroy();
      else res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  opened.push({ close: () => new Promise((resolve) => server.close(resolve)) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

async function balancer(origins: string[]): Promise<RunningBalancer> {
  const lb = await startBalancer({ route: roundRobin(origins) });
  opened.push(lb);
  return lb;
}

describe('the development load balancer', () => {
  it('never sends a request to a second backend once the first received it (a POST /token is not replayed)', async () => {
    const failing = await backend('reset');
    const healthy = await backend('answer');
    const lb = await balancer([failing.url, healthy.url]);
    const response = await fetch(`${lb.url}/token`, { method: 'POST', body: 'grant_type=authorization_code&code=x' });
    expect(response.status).toBe(502);
    expect(failing.received).toEqual(['POST /token']);
    expect(healthy.received).toEqual([]);
  });

  it('tries the next backend when one refuses the connection', async () => {
    const healthy = await backend('answer');
    const lb = await balancer([`http://127.0.0.1:${await freePort()}`, healthy.url]);
    const response = await fetch(`${lb.url}/token`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(200);
    expect(healthy.received).toEqual(['POST /token']);
  });
});
