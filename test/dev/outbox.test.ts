import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagementOperations } from '../../src/accounts/management.ts';
import { loadConfig } from '../../src/config/load.ts';
import { demoRoutes } from '../../src/dev/demo.ts';
import { startPortvagt, type Portvagt } from '../../src/portvagt.ts';
import { freePort } from '../helpers/harness.ts';

/** The embedded default writes invitation e-mails to an outbox the demo shows, instead of sending them. */
let portvagt: Portvagt;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  const config = loadConfig({ PORTVAGT_CONFIG: 'config/demo.yaml', PORT: String(port), PORTVAGT_DATA_DIR: mkdtempSync(join(tmpdir(), 'portvagt-outbox-')) });
  const demo = demoRoutes(config);
  portvagt = await startPortvagt(config, { log: pino({ level: 'silent' }), extraRoutes: demo.routes });
  await demo.seed(portvagt);
});
afterAll(async () => {
  await portvagt?.close();
});

describe('the demo outbox', () => {
  it('is empty at first and says how to send an invitation', async () => {
    const page = await (await fetch(`${base}/demo/outbox`)).text();
    expect(page).toContain('Ingen e-mails endnu');
    expect(page).toContain('npx portvagt invitations issue demo/ny.bruger --send');
  });

  it('shows a sent invitation in plain text with its HTML version beside it, in Danish and English', async () => {
    const account = (await portvagt.accounts.findByUsername('demo', 'ny.bruger'))!;
    const ops = new ManagementOperations(portvagt);
    const issued = await ops.issueInvitation(account, { via: 'cli' }, { clientId: 'demo', locale: 'da' });
    expect(issued.mail).toEqual({ sent: true, to: 'ny.bruger@demo.example' });

    const page = await (await fetch(`${base}/demo/outbox`)).text();
    expect(page).toContain('<h2>Dit førstegangslogin til IMS (demo)</h2>');
    expect(page).toContain(`Engangsadgangskode: ${issued.password}`);
    expect(page).toContain(`Start dit førstegangslogin her:\n${base}/demo`);
    // Danish time, as on Portvagt's pages, and a link to each language.
    expect(page).toMatch(/\d{1,2}\. \w+ \d{4} kl\. \d{2}:\d{2} \(dansk tid\)/);
    expect(page).toContain('href="/demo/outbox?lang=da"');
    expect(page).toContain('href="/demo/outbox?lang=en"');
    const english = await (await fetch(`${base}/demo/outbox?lang=en`)).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toMatch(/\d{1,2} \w+ \d{4} at \d{2}:\d{2} \(Danish time\)/);
    expect(english).toContain('These are the invitations it would have sent');

    const id = /href="\/demo\/outbox\/([0-9a-f-]{36})"/.exec(page)![1]!;
    const html = await fetch(`${base}/demo/outbox/${id}`);
    expect(html.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; frame-ancestors 'none'; form-action 'none'");
    expect(await html.text()).toContain(`data-password>${issued.password}<`);
    expect((await fetch(`${base}/demo/outbox/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
  });
});
