import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of one of the machine's servers (PostgreSQL, Redis) that a test can cut,
 * silence and restore: while cut, open connections are dropped and new ones are closed at once, as if
 * the server had gone away; while silent, every connection is accepted and nothing comes back, as
 * from a server that hangs, and the connections silenced stay so after the restore (until the client
 * drops them). The real server keeps serving the rest of the suite.
 */
export class TcpProxy {
  #cut = false;
  #silent = false;
  readonly #sockets = new Set<Socket>();

  readonly #server: Server;
  #port = 0;

  private constructor(target: { host: string; port: number }) {
    this.#server = createServer((client) => this.accept(client, target));
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(0, '127.0.0.1', resolve);
    });
    proxy.#port = (proxy.#server.address() as AddressInfo).port;
    return proxy;
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    if (this.#cut) return void client.destroy();
    if (this.#silent) return this.hold(client);
    const upstream = connect(target.port, target.host);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      this.#sockets.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.#sockets.delete(from);
        to.destroy();
      });
    }
  }

  /** The URL `url` would have through this proxy: same everything, the proxy's port. */
  via(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.#port);
    return proxied.href;
  }

  /** Keeps a connection open and swallows what it sends. */
  private hold(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('error', () => undefined).on('close', () => this.#sockets.delete(socket));
    socket.unpipe();
    socket.resume();
  }

  silence(): void {
    this.#silent = true;
    for (const socket of this.#sockets) this.hold(socket);
  }

  cut(): void {
    this.#cut = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  restore(): void {
    this.#cut = false;
    this.#silent = false;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
