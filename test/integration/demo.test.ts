import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { demoRoutes } from '../../src/dev/demo.ts';
import { ERROR_CODES } from '../../src/errors/catalogue.ts';
import { rpErrorMessage } from '../../src/dev/demo-rp.ts';
import { translate } from '../../src/i18n/i18n.ts';
import type { DemoSeed } from '../../src/dev/demo-seed.ts';
import { DEMO_SUBJECTS } from '../../src/dev/mock-identities.ts';
import { startPortvagt, type Portvagt } from '../../src/portvagt.ts';
import { Browser, fetchTransport, type Transport } from '../helpers/browser.ts';
import { freePort } from '../helpers/harness.ts';

/** The embedded default as `npm start` runs it: demo config, built-in mocks, demo system. */
let portvagt: Portvagt;
let seed: DemoSeed;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  const config = loadConfig({ PORTVAGT_CONFIG: 'config/demo.yaml', PORT: String(port), PORTVAGT_DATA_DIR: mkdtempSync(join(tmpdir(), 'portvagt-demo-')) });
  const demo = demoRoutes(config);
  portvagt = await startPortvagt(config, { log: pino({ level: 'silent' }), extraRoutes: demo.routes });
  seed = await demo.seed(portvagt);
});
afterAll(async () => {
  await portvagt?.close();
});

async function startAt(browser: Browser, action: string, path = '/demo') {
  const demoPage = await browser.get(`${base}${path}`);
  return browser.submit(demoPage, { form: (f) => f.action.endsWith('/start'), button: { name: 'action', value: action }, follow: true });
}

/** Logs Mette Jensen in to IMS with the mock MitID; answers IMS's page. */
async function loginToIms(browser: Browser) {
  const mock = await browser.submit(await startAt(browser, 'login'), { form: (f) => f.action.endsWith('/method'), button: { name: 'method', value: 'mitid' }, follow: true });
  return browser.submit(mock, { form: (f) => f.action.endsWith('/login'), fields: { identity: DEMO_SUBJECTS.mitid }, follow: true });
}

describe('the demo', () => {
  it('logs Mette Jensen in through the built-in mock MitID and shows the ID token claims', async () => {
    const browser = new Browser();
    const chooser = await startAt(browser, 'login');
    expect(chooser.body).toContain('IMS (demo)');
    const mock = await browser.submit(chooser, { form: (f) => f.action.endsWith('/method'), button: { name: 'method', value: 'mitid' }, follow: true });
    expect(mock.url).toContain('/mock/mitid/');
    const result = await browser.submit(mock, { form: (f) => f.action.endsWith('/login'), fields: { identity: DEMO_SUBJECTS.mitid }, follow: true });
    expect(result.url).toBe(`${base}/demo`);
    expect(result.body).toContain('data-claims');
    expect(result.body).toContain('&quot;tenant&quot;: &quot;demo&quot;');
    expect(result.body).toContain('&quot;amr&quot;: [\n    &quot;mitid&quot;');
  });

  it('prints a working first-time login for the seeded invitation', async () => {
    expect(seed.invitation).toBeDefined();
    const browser = new Browser();
    const chooser = await startAt(browser, 'first-login');
    const mock = await browser.submit(chooser, { form: (f) => f.action.endsWith('/method'), button: { name: 'method', value: 'nemid' }, follow: true });
    const form = await browser.submit(mock, { form: (f) => f.action.endsWith('/login'), fields: { identity: DEMO_SUBJECTS.nemid }, follow: true });
    const result = await browser.submit(form, { form: (f) => f.action.endsWith('/first-login'), fields: { username: seed.invitation!.username, password: seed.invitation!.password }, follow: true });
    expect(result.url).toBe(`${base}/demo`);
    expect(result.body).toContain('ny.bruger');
  });

  it('finishes two logins started in two tabs of one browser, each with its own state', async () => {
    const browser = new Browser();
    const tabA = await startAt(browser, 'login');
    const tabB = await startAt(browser, 'login');
    for (const chooser of [tabB, tabA]) {
      const mock = await browser.submit(chooser, { form: (f) => f.action.endsWith('/method'), button: { name: 'method', value: 'mitid' }, follow: true });
      const result = await browser.submit(mock, { form: (f) => f.action.endsWith('/login'), fields: { identity: DEMO_SUBJECTS.mitid }, follow: true });
      expect(result.url).toBe(`${base}/demo`);
      expect(result.body).toContain('data-claims');
    }
  });

  it("says in words what went wrong: a cancel, or Portvagt's code with its title", async () => {
    const browser = new Browser();
    const cancelled = await browser.submit(await startAt(browser, 'login'), { form: (f) => f.action.endsWith('/abort'), follow: true });
    expect(cancelled.body).toContain('Du annullerede login');
    expect(rpErrorMessage('access_denied', 'Portvagt error 6001')).toBe(`Login blev afbrudt med Portvagts fejlkode 6001: ${translate('da', 'codes.6001.title')}`);
    expect(rpErrorMessage('invalid_request', 'something else')).toBe('Login mislykkedes (invalid_request).');
    // Back from a 5502 page: the title's method in general words, never a bare placeholder.
    for (const code of ERROR_CODES) expect(rpErrorMessage('access_denied', `Portvagt error ${code}`), String(code)).not.toMatch(/[{}]/);
  });

  it('logs in to Sagssystemet without the chooser after IMS, and a logout of IMS ends both (back-channel)', async () => {
    const browser = new Browser();
    await loginToIms(browser);
    const caseSystem = await startAt(browser, 'login', '/demo2');
    expect(caseSystem.url).toBe(`${base}/demo2`);
    expect(caseSystem.body).toContain('&quot;aud&quot;: &quot;sagssystem&quot;');
    const confirm = await browser.submit(await browser.get(`${base}/demo`), { form: (f) => f.action.endsWith('/logout'), follow: true });
    const out = await browser.submit(confirm, { form: 'logout-form', button: { name: 'logout', value: 'yes' }, follow: true });
    expect(out.url).toBe(`${base}/demo`);
    expect(out.body).toContain('data-logged-out="here"');
    const after = await browser.get(`${base}/demo2`);
    expect(after.body).toContain('data-logged-out="elsewhere"');
    expect(after.body).not.toContain('data-claims');
  });

  it("keeps oidc-provider's session cookie over http as SameSite=Lax, which browsers store (None needs Secure)", async () => {
    const cookies: string[] = [];
    const recording: Transport = async (...request) => {
      const response = await fetchTransport(...request);
      cookies.push(...response.headers.getSetCookie());
      return response;
    };
    await loginToIms(new Browser({}, recording));
    const session = cookies.filter((c) => c.startsWith('_session='));
    expect(session.length).toBeGreaterThan(0);
    for (const cookie of session) expect(cookie.toLowerCase()).toContain('samesite=lax');
  });

  it('refuses a back-channel logout whose token it cannot verify, and ends nothing', async () => {
    const browser = new Browser();
    expect((await loginToIms(browser)).body).toContain('data-claims');
    for (const token of ['', 'not-a-jwt', forgedLogoutToken()]) {
      const answer = await fetch(`${base}/demo/backchannel`, { method: 'POST', body: new URLSearchParams({ logout_token: token }) });
      expect(answer.status).toBe(400);
    }
    expect((await browser.get(`${base}/demo`)).body).toContain('data-claims');
  });
});

/** A logout token of the right shape, signed with a key that is not Portvagt's. */
function forgedLogoutToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: base, aud: 'demo', iat: now, jti: 'x', sid: 'any', events: { 'http://schemas.openid.net/event/backchannel-logout': {} } };
  return `${part({ alg: 'RS256', typ: 'logout+jwt' })}.${part(payload)}.${Buffer.from('forged').toString('base64url')}`;
}
