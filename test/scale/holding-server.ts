import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingServer {
  url: string;
  /** Resolves when the first request has arrived and is being held. */
  arrived: Promise<void>;
  /** Answers every held request (and later ones at once) with 200 and an empty JSON object. */
  release(): void;
  close(): Promise<void>;
}

/** An HTTP server that holds every request until released: a slow upstream, or one that never answers. */
export async function startHoldingServer(): Promise<HoldingServer> {
  const held: ServerResponse[] = [];
  let released = false;
  let signal: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (signal = resolve));
  const answer = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  const server = createServer((_req, res) => {
    if (released) return answer(res);
    held.push(res);
    signal();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrived,
    release() {
      released = true;
      held.splice(0).forEach(answer);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
