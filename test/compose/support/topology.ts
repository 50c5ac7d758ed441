import { randomBytes } from 'node:crypto';
import { run, until, type Engine } from './engine.ts';

/** The services of docker-compose.yml, all with a health check. */
export const SERVICES = ['postgres', 'redis', 'devtools', 'portvagt-a', 'portvagt-b', 'lb'] as const;
export type Service = (typeof SERVICES)[number];

const MINUTE = 60_000;
/** The label Docker's and Debian's compose both put on a service's containers. */
const SERVICE_LABEL = 'com.docker.compose.service';

/**
 * docker-compose.yml under a project name of its own: its own images, network, volumes, secrets
 * and a published port on 127.0.0.1, so it never meets a developer's `docker compose up`.
 */
export class Topology {
  /** test/compose/run.sh names it, to take it down even when the test process itself dies. */
  readonly project = process.env.COMPOSE_TEST_PROJECT ?? `portvagt-test-${randomBytes(4).toString('hex')}`;
  /** The image names the compose file uses through PORTVAGT_IMAGE (the devtools stage adds "-devtools"). */
  readonly image = this.project;
  readonly secrets = {
    POSTGRES_PASSWORD: randomSecret(),
    PORTVAGT_COOKIE_KEYS: randomSecret(),
    PORTVAGT_CPR_HMAC_KEY: randomSecret(),
    PORTVAGT_METRICS_TOKEN: randomSecret(),
    PORTVAGT_CLIENT_SECRET_DEMO: randomSecret(),
  };
  readonly #engine: Engine;
  readonly #env: Record<string, string>;
  #ids: Promise<Map<string, string>> | undefined;

  constructor(engine: Engine, lbPort: number) {
    this.#engine = engine;
    this.#env = { ...this.secrets, PORTVAGT_IMAGE: this.image, PORTVAGT_LB_PORT: String(lbPort) };
  }

  compose(args: string[], timeoutMs = MINUTE): Promise<string> {
    return run([...this.#engine.compose, '-p', this.project, '-f', 'docker-compose.yml', ...args], { timeoutMs, env: this.#env });
  }

  container(args: string[], timeoutMs = MINUTE): Promise<string> {
    return run([...this.#engine.cli, ...args], { timeoutMs });
  }

  /** The production image (the Dockerfile's default target) and its devtools stage. */
  async build(): Promise<void> {
    await run([...this.#engine.build, '-t', this.image, '.'], { timeoutMs: 15 * MINUTE });
    await run([...this.#engine.build, '--target', 'devtools', '-t', `${this.image}-devtools`, '.'], { timeoutMs: 5 * MINUTE });
  }

  async up(): Promise<void> {
    // The services this test proves; Prometheus and Grafana have no stand-in image on registry-less machines.
    await this.compose(['up', '-d', '--no-build', ...SERVICES], 5 * MINUTE);
  }

  async containerId(service: Service): Promise<string> {
    this.#ids ??= this.#containerIds();
    const id = (await this.#ids).get(service);
    if (!id) throw new Error(`no container for ${service}`);
    return id;
  }

  /** Service → container, asked once (kill and restart keep a container's id). */
  async #containerIds(): Promise<Map<string, string>> {
    const ids = (await this.compose(['ps', '-q'])).split('\n').filter(Boolean);
    const labels = await this.container(['inspect', '-f', `{{.Id}} {{index .Config.Labels "${SERVICE_LABEL}"}}`, ...ids]);
    return new Map(labels.trim().split('\n').map((line) => {
      const [id = '', service = ''] = line.split(' ');
      return [service, id] as const;
    }));
  }

  /** Waits until every service's health check passes; the error names the ones that did not. */
  async healthy(services: readonly Service[] = SERVICES, timeoutMs = 3 * MINUTE): Promise<void> {
    let states: string[] = [];
    await until(`healthy ${services.join(', ')}`, timeoutMs, async () => {
      states = await Promise.all(services.map(async (s) => `${s}: ${await this.health(s)}`));
      return states.every((s) => s.endsWith(': running healthy')) ? true : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; ${states.join(', ')}`);
    });
  }

  /** "running healthy", "running starting", "exited …". */
  async health(service: Service): Promise<string> {
    return (await this.container(['inspect', '-f', '{{.State.Status}} {{.State.Health.Status}}', await this.containerId(service)])).trim();
  }

  exec(service: Service, command: string[], timeoutMs = MINUTE): Promise<string> {
    return this.compose(['exec', '-T', service, ...command], timeoutMs);
  }

  logs(service?: Service): Promise<string> {
    return this.compose(['logs', '--no-color', '--tail', '300', ...(service ? [service] : [])]);
  }

  /** The container's address on the project's network. */
  async address(service: Service): Promise<string> {
    return (await this.container(['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', await this.containerId(service)])).trim();
  }

  /** Everything the run made: containers, network, volumes, images. */
  async down(): Promise<void> {
    await this.compose(['down', '-v', '--remove-orphans', '-t', '5'], 2 * MINUTE);
    await this.container(['rmi', '-f', this.image, `${this.image}-devtools`]).catch(() => undefined);
  }
}

/** Long enough for the production guard (32 bytes and more). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
