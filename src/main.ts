// First: oidc-provider prints a notice while it is imported, and every one of them must be a JSON log line.
import './provider/provider-notices.ts';
import { ConfigError, loadConfig } from './config/load.ts';
import { enforceProduction } from './config/production-guard.ts';
import type { Config } from './config/model.ts';
import { createLogger } from './logger.ts';
import { startPortvagt } from './portvagt.ts';

const log = createLogger();

let config: Config;
try {
  config = loadConfig();
  enforceProduction(config, process.env, log);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`portvagt: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

try {
  // Loaded only for the demo: the production image does not contain src/dev at all.
  const demo = config.demo.enabled ? (await import('./dev/demo.ts')).demoRoutes(config) : undefined;
  const portvagt = await startPortvagt(config, { log, extraRoutes: demo?.routes });
  const seed = demo ? await demo.seed(portvagt) : undefined;
  log.info({ url: config.server.base_url }, 'Portvagt is listening');
  // The demo greets the person at the terminal; outside it every line is JSON, for the log collector.
  if (seed) {
    console.log(`\nPortvagt runs at ${config.server.base_url}`);
    console.log(`Demo system: ${config.server.base_url}/demo  (log in with the mock MitID identity "Mette Jensen")`);
    console.log(`Second demo system: ${config.server.base_url}/demo2  (single sign-on: logged in to one, you are logged in to the other)`);
    if (seed.invitation) console.log(`Demo first-time login: username "${seed.invitation.username}", one-time password "${seed.invitation.password}"`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    portvagt.close({ graceMs: config.server.shutdown_grace_seconds * 1000 }).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  log.fatal({ err: error }, 'Portvagt could not start');
  console.error(`portvagt: could not start: ${(error as Error).message}`);
  process.exit(1);
}
