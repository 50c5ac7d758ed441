import fc from 'fast-check';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_SCOPE } from '../../src/provider/provider.ts';
import { Browser } from '../helpers/browser.ts';
import {
  chooseMethod,
  identities,
  openAuthorize,
  RP_REDIRECT,
  rpAuthorizeUrl,
  rpExchange,
  startHarness,
  upstreamLogin,
  type Harness,
} from '../helpers/harness.ts';
import { hostileText } from '../helpers/hostile-text.ts';

const ADMIN = { client_id: 'ims-admin', client_secret: 'ims-admin-secret-0123456789' };

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness({
    configure: (raw) => {
      (raw.clients as Record<string, unknown>[]).push({
        ...ADMIN,
        display_name: 'IMS administration',
        redirect_uris: [RP_REDIRECT],
        tenants: ['acme'],
        login_methods: ['mitid'],
        management_scopes: [MANAGEMENT_SCOPE],
      });
    },
  });
  token = await clientCredentialsToken(MANAGEMENT_SCOPE);
});
afterAll(async () => {
  await h?.close();
});

/** A real client-credentials access token from Portvagt's token endpoint. */
async function clientCredentialsToken(scope?: string): Promise<string> {
  const admin = await client.discovery(new URL(h.base), ADMIN.client_id, ADMIN.client_secret, undefined, { execute: [client.allowInsecureRequests] });
  return (await client.clientCredentialsGrant(admin, scope ? { scope } : {})).access_token;
}

interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function api(method: string, path: string, options: { body?: unknown; raw?: string; bearer?: string | null } = {}): Promise<ApiAnswer> {
  const bearer = options.bearer === undefined ? token : options.bearer;
  const response = await fetch(`${h.base}/api/v1${path}`, {
    method,
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(options.body !== undefined || options.raw ? { 'content-type': 'application/json' } : {}) },
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/** A refusal as the API promises it: the status and a JSON error, never a stack trace. */
function expectRefused(answer: ApiAnswer, status: number, error: string): void {
  expect({ status: answer.status, error: answer.body.error }).toEqual({ status, error });
  expect(typeof answer.body.error_description).toBe('string');
  expect(JSON.stringify(answer.body)).not.toMatch(/\bat .*\.ts:\d+/);
}

describe('the management API', () => {
  it('creates an account and an invitation with which the user completes the first-time login', async () => {
    const created = await api('POST', '/accounts', { body: { tenant: 'acme', username: 'anna.api', display_name: 'Anna Hansen', email: 'anna@acme.example' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ tenant: 'acme', username: 'anna.api', display_name: 'Anna Hansen', email: 'anna@acme.example', status: 'active', has_cpr: false });
    const accountId = created.body.id as string;
    const [event] = await h.portvagt.audit.byReference(created.headers.get('x-portvagt-reference')!);
    expect(event).toMatchObject({ event: 'manage.account.create', outcome: 'success', client_id: ADMIN.client_id, account_id: accountId, tenant: 'acme' });

    const invitation = await api('POST', `/accounts/${accountId}/invitations`);
    expect(invitation.status).toBe(201);
    expect(invitation.headers.get('cache-control')).toBe('no-store');
    expect(invitation.body).toMatchObject({ username: 'anna.api', password: expect.stringMatching(/^\S{14}$/) });
    expect(Date.parse(invitation.body.expires_at as string)).toBeGreaterThan(Date.now());

    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { action: 'first-login' });
    const subject = identities.mitid[2]!.sub;
    const form = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), subject);
    const back = await browser.submit(form, {
      form: (f) => f.action.endsWith('/first-login'),
      fields: { username: 'anna.api', password: invitation.body.password as string },
      until: (url) => url.startsWith(RP_REDIRECT),
    });
    expect((await rpExchange(h, login, back.url)).claims()!.sub).toBe(accountId);

    const links = await api('GET', `/accounts/${accountId}/links`);
    expect(links.status).toBe(200);
    expect(links.body.links).toMatchObject([{ method: 'mitid', issuer: h.issuerOf('mitid'), subject }]);
    const listed = await api('GET', '/accounts?tenant=acme');
    expect((listed.body.accounts as { username: string }[]).map((a) => a.username)).toContain('anna.api');
  });

  it('revokes an open invitation', async () => {
    const created = await api('POST', '/accounts', { body: { tenant: 'acme', username: 'revoked.api', display_name: 'Revoked' } });
    const accountId = created.body.id as string;
    await api('POST', `/accounts/${accountId}/invitations`);
    const revoked = await api('DELETE', `/accounts/${accountId}/invitations`);
    expect(revoked).toMatchObject({ status: 200, body: { revoked: 1 } });
    expect((await h.portvagt.invitations.list(accountId)).map((i) => i.status)).toEqual(['revoked']);
    const [event] = await h.portvagt.audit.byReference(revoked.headers.get('x-portvagt-reference')!);
    expect(event).toMatchObject({ event: 'manage.invitation.revoke', account_id: accountId });
  });

  it('answers a taken username with 409 and invalid bodies with 400 or 413', async () => {
    const body = { tenant: 'acme', username: 'twice.api', display_name: 'Twice' };
    expect((await api('POST', '/accounts', { body })).status).toBe(201);
    expectRefused(await api('POST', '/accounts', { body }), 409, 'conflict');
    const missing = await api('POST', '/accounts', { body: { tenant: 'acme', display_name: 'No username' } });
    expectRefused(missing, 400, 'invalid_request');
    expect(missing.body.error_description).toMatch(/username/);
    expectRefused(await api('POST', '/accounts', { body: { ...body, username: 'x', email: 'not-an-email' } }), 400, 'invalid_request');
    expectRefused(await api('POST', '/accounts', { raw: '{"tenant": "acme",' }), 400, 'invalid_request');
    expectRefused(await api('POST', '/accounts', { body: { ...body, username: 'big', display_name: 'x'.repeat(11_000) } }), 413, 'invalid_request');
  });

  it("lists an account's single sign-on sessions and ends them: the browser logs in upstream again, and the change is audited", async () => {
    const subject = identities.mitid[0]!.sub;
    const accountId = (await api('POST', '/accounts', { body: { tenant: 'acme', username: 'sso.user', display_name: 'SSO User' } })).body.id as string;
    expect(await h.portvagt.accounts.link(accountId, { method: 'mitid', issuer: h.issuerOf('mitid'), subject })).toBe('linked');
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    await rpExchange(h, login, (await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), subject)).url);

    const listed = await api('GET', `/accounts/${accountId}/sessions`);
    const sessions = listed.body.sessions as { id: string; systems: string[]; logins: { method: string; level: string }[] }[];
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ systems: ['test-rp'], logins: [{ method: 'mitid', level: 'substantial' }] });
    expect(JSON.stringify(listed.body)).not.toMatch(/cpr|fingerprint/i);
    // Released from the session while it lives.
    expect((await openAuthorize(browser, await rpAuthorizeUrl(h))).url.startsWith(RP_REDIRECT)).toBe(true);

    expectRefused(await api('DELETE', `/accounts/${accountId}/sessions/not-a-session`), 404, 'not_found');
    const revoked = await api('DELETE', `/accounts/${accountId}/sessions/${sessions[0]!.id}`);
    expect(revoked.body).toEqual({ account_id: accountId, revoked: 1 });
    const [event] = await h.portvagt.audit.byReference(revoked.headers.get('x-portvagt-reference')!);
    expect(event).toMatchObject({ event: 'manage.session.revoke', account_id: accountId });
    expect((await api('GET', `/accounts/${accountId}/sessions`)).body.sessions).toEqual([]);
    const after = await openAuthorize(browser, await rpAuthorizeUrl(h));
    expect(after.url.startsWith(RP_REDIRECT)).toBe(false);
    expect(after.body).toContain('data-method="mitid"');
  });

  it('refuses requests without a valid management token with 401', async () => {
    const none = await api('GET', '/accounts', { bearer: null });
    expectRefused(none, 401, 'invalid_token');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm="portvagt"/);
    expectRefused(await api('GET', '/accounts', { bearer: 'not-a-token-portvagt-issued' }), 401, 'invalid_token');

    // An ordinary login's access token is no management token.
    const linked = await h.portvagt.accounts.create({ tenant: 'acme', username: 'rp.user', displayName: 'RP User' });
    await h.portvagt.accounts.link(linked.id, { method: 'mitid', issuer: h.issuerOf('mitid'), subject: identities.mitid[1]!.sub });
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), identities.mitid[1]!.sub);
    const rpToken = (await rpExchange(h, login, back.url)).access_token;
    expectRefused(await api('GET', '/accounts', { bearer: rpToken }), 401, 'invalid_token');
  });

  it('refuses a token without the management scope with 403', async () => {
    const unscoped = await api('GET', '/accounts', { bearer: await clientCredentialsToken() });
    expectRefused(unscoped, 403, 'insufficient_scope');
    expect(unscoped.headers.get('www-authenticate')).toContain(`scope="${MANAGEMENT_SCOPE}"`);
  });

  it("keeps the client to its own tenants: 403 for another tenant, 404 for another tenant's account", async () => {
    expectRefused(await api('POST', '/accounts', { body: { tenant: 'beta', username: 'outsider', display_name: 'Outsider' } }), 403, 'forbidden');
    expectRefused(await api('GET', '/accounts?tenant=beta'), 403, 'forbidden');
    expect(await h.portvagt.accounts.findByUsername('beta', 'outsider')).toBeUndefined();

    const foreign = await h.portvagt.accounts.create({ tenant: 'beta', username: 'foreign', displayName: 'Foreign' });
    expectRefused(await api('POST', `/accounts/${foreign.id}/invitations`), 404, 'not_found');
    expectRefused(await api('GET', `/accounts/${foreign.id}/links`), 404, 'not_found');
    expect(await h.portvagt.invitations.list(foreign.id)).toEqual([]);
    const all = await api('GET', '/accounts');
    expect((all.body.accounts as { tenant: string }[]).every((a) => a.tenant === 'acme')).toBe(true);
  });

  it('answers any text in an account or its address with 201, 400 or 404, never a server error, and stores what it accepted exactly', async () => {
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, async (username, displayName) => {
        const created = await api('POST', '/accounts', { body: { tenant: 'acme', username: `${username}.${++counter}`, display_name: displayName } });
        expect([201, 400], JSON.stringify([username, displayName])).toContain(created.status);
        if (created.status === 201) expect(created.body.display_name).toBe(displayName.trim());
        // Every byte percent-encoded (a URL cannot carry a lone surrogate; %00 it can).
        const id = Buffer.from(username).toString('hex').replace(/../g, '%$&');
        expect((await api('GET', `/accounts/${id}/links`)).status).toBe(404);
      }),
      { numRuns: 100, examples: [['a\0b', 'Anna'], ['anna', 'A\0nna'], ['\uD800', 'Anna'], ['anna', 'x\uDC00']] },
    );
  });
});
