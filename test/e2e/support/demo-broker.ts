import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../../src/config/load.ts';
import type { Config } from '../../../src/config/model.ts';
import { demoRoutes } from '../../../src/dev/demo.ts';
import { startPortvagt, type Portvagt } from '../../../src/portvagt.ts';
import { freePort } from '../../helpers/harness.ts';

export interface DemoBroker {
  portvagt: Portvagt;
  /** http://127.0.0.1:<port>, the broker's issuer; the demo system is at `${base}/demo`. */
  base: string;
  /** The demo system's display name, as its pages and Portvagt's header show it. */
  system: string;
  config: Config;
}

/**
 * The embedded default as `npm start` runs it (config/demo.yaml: built-in mocks under /mock/<id>, the
 * demo systems at /demo and /demo2, seeded demo account) on a free port with throwaway SQLite files. `configure`
 * edits the parsed YAML first, e.g. to require a CPR match.
 */
export async function startDemoBroker(configure?: (raw: Record<string, unknown>) => void): Promise<DemoBroker> {
  const raw = parseYaml(readFileSync('config/demo.yaml', 'utf8')) as Record<string, unknown>;
  configure?.(raw);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = parseConfig(raw, { PORT: String(port), HOST: '127.0.0.1', PORTVAGT_BASE_URL: base, PORTVAGT_DATA_DIR: mkdtempSync(join(tmpdir(), 'portvagt-e2e-')) });
  const demo = demoRoutes(config);
  const portvagt = await startPortvagt(config, { log: pino({ level: 'silent' }), extraRoutes: demo.routes });
  await demo.seed(portvagt);
  const system = config.clients.get('demo')!.displayName;
  return { portvagt, base, system, config };
}

/** A demo system's client in the demo configuration (IMS unless `clientId` names another), for tests that change its branding or rules. */
export function demoClient(raw: Record<string, unknown>, clientId = 'demo'): Record<string, unknown> {
  return (raw.clients as Record<string, unknown>[]).find((c) => c.client_id === clientId)!;
}

/** One demo broker for a describe block: started before its tests, closed after them; the object stands for it once started. */
export function useDemoBroker(configure?: (raw: Record<string, unknown>) => void): DemoBroker {
  let running: DemoBroker | undefined;
  beforeAll(async () => {
    running = await startDemoBroker(configure);
  });
  afterAll(async () => {
    await running?.portvagt.close();
  });
  return new Proxy({} as DemoBroker, {
    get(_target, key) {
      if (!running) throw new Error('the demo broker is used before beforeAll started it');
      return Reflect.get(running, key);
    },
  });
}
