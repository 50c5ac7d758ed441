import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Chooses the backends (origins such as `http://127.0.0.1:3001`) for a request, preferred first. */
export type Route = (req: IncomingMessage) => string[];

export interface RunningBalancer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/** Every backend in turn, the others behind it as fallbacks. */
export function roundRobin(backends: readonly string[]): Route {
  let next = 0;
  return () => {
    const first = next++ % backends.length;
    return backends.map((_, i) => backends[(first + i) % backends.length]!);
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) return void req.destroy(new Error('request body too large'));
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The backend refused the connection: nothing of the request reached it, so another may take it. */
class Refused extends Error {}

/**
 * Forwards one request. Rejects with Refused only when the connection was refused (nothing sent);
 * any later failure ends this request with 502 (or a cut response), never a replay, because the
 * backend may have acted on it already (a POST /token must not reach two instances).
 */
function forward(req: IncomingMessage, body: Buffer, origin: string, res: ServerResponse): Promise<void> {
  const target = new URL(req.url ?? '/', origin);
  const headers = { ...req.headers };
  const remote = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${String(headers['x-forwarded-for'])}, ${remote}` : remote;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-host'] ??= req.headers.host ?? '';
  return new Promise((resolve, reject) => {
    const upstream = request(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') return reject(new Refused(origin));
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('backend failed\n');
      else res.destroy();
      resolve();
    });
    upstream.end(body);
  });
}

/**
 * A tiny HTTP load balancer for running several instances locally and in tests (a development tool:
 * nginx does this job in docker-compose). Like nginx's defaults it tries the next backend only when
 * one refused the connection, so a stopped instance costs no failed request and no request is ever
 * sent twice; if every backend refuses, the client gets 502.
 */
export async function startBalancer(options: { route: Route; port?: number; host?: string }): Promise<RunningBalancer> {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      for (const origin of options.route(req)) {
        try {
          return await forward(req, body, origin, res);
        } catch (error) {
          if (!(error instanceof Refused)) throw error;
        }
      }
      res.writeHead(502, { 'content-type': 'text/plain' }).end('no backend reachable\n');
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
