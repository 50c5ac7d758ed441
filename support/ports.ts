import { createServer } from 'node:net';

/**
 * A free port below Linux's ephemeral range (32768+), so that no server listening on port 0 in a
 * parallel test file can take it between this check and the broker's own listen.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(candidate, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
}
