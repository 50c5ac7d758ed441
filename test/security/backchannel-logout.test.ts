import { createServer, type Server } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, freePort, identities, linkedAccount, openAuthorize, RP_REDIRECT, rpAuthorizeUrl, rpExchange, rpOf, toRp, upstreamLogin, useHarness } from '../helpers/harness.ts';

/**
 * Back-channel logout (OpenID Connect Back-Channel Logout 1.0) as a system receives it: what the
 * logout token says and how it is signed, and what Portvagt does when a system does not take it.
 */

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** A system's back-channel address: it keeps each logout token it was posted and answers as told. */
interface Receiver {
  tokens: string[];
  /** The statuses of the next answers, in order; 200 once they are used up. */
  answers: number[];
}

const receivers = { 'bc-rp': receiver(), 'flaky-rp': receiver(), 'failing-rp': receiver() };
type ReceiverClient = keyof typeof receivers;

function receiver(): Receiver {
  return { tokens: [], answers: [] };
}

let server: Server;
let receiverBase: string;
beforeAll(async () => {
  const port = await freePort();
  receiverBase = `http://127.0.0.1:${port}`;
  server = createServer((req, res) => {
    const target = receivers[req.url!.slice(1) as ReceiverClient] as Receiver | undefined;
    if (!target) return void res.writeHead(404).end();
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      target.tokens.push(new URLSearchParams(body).get('logout_token') ?? '');
      res.writeHead(target.answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const h = useHarness({
  configure(raw) {
    (raw.clients as Record<string, unknown>[]).push(
      ...Object.keys(receivers).map((clientId) => ({
        client_id: clientId,
        client_secret: `${clientId}-secret-0123456789`,
        display_name: clientId,
        redirect_uris: [RP_REDIRECT],
        post_logout_redirect_uris: [RP_REDIRECT],
        // The test's own address on 127.0.0.1, as a system on the company network has one.
        backchannel_logout_uri: `${receiverBase}/${clientId}`,
        tenants: ['acme'],
        login_methods: ['mitid'],
      })),
    );
  },
  // Production waits 2, 10 and 30 s between tries.
  backchannelRetriesMs: [20, 20, 20],
});

/** Logs in to the client and logs out of its session everywhere; the ID token it had, and the account. */
async function loginAndLogout(clientId: ReceiverClient, subject: string) {
  const account = await linkedAccount(h, 'mitid', subject);
  const rp = await rpOf(h, clientId, `${clientId}-secret-0123456789`);
  const browser = new Browser();
  const login = await rpAuthorizeUrl(h, {}, rp);
  const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), subject);
  const idToken = (await rpExchange(h, login, back.url, rp)).claims()!;
  const confirm = await browser.get(client.buildEndSessionUrl(rp, { post_logout_redirect_uri: RP_REDIRECT }).href);
  const out = await browser.submit(confirm, { form: 'logout-form', button: { name: 'logout', value: 'yes' }, until: toRp });
  expect(out.stopped).toBe(true);
  return { account, idToken };
}

const logged = (event: string, clientId: string) => h.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === event && line.clientId === clientId);

async function failuresOf(clientId: string): Promise<number> {
  const text = await (await fetch(`${h.base}/metrics`)).text();
  return Number(new RegExp(`^portvagt_backchannel_logout_failures_total\\{client="${clientId}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
}

describe('the logout token a system receives on its back channel', () => {
  it("names the session of the system's ID token, carries the logout event and no nonce, signed with Portvagt's published key", async () => {
    const { account, idToken } = await loginAndLogout('bc-rp', identities.mitid[0]!.sub);
    expect(idToken.sid).toEqual(expect.any(String));
    expect(receivers['bc-rp'].tokens).toHaveLength(1);
    const token = receivers['bc-rp'].tokens[0]!;

    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${h.base}/jwks`)), { issuer: h.base, audience: 'bc-rp', typ: 'logout+jwt' });
    expect(payload).toMatchObject({ iss: h.base, aud: 'bc-rp', sub: account.id, sid: idToken.sid, events: { [BACKCHANNEL_EVENT]: {} } });
    expect(payload.iat).toEqual(expect.any(Number));
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload).not.toHaveProperty('nonce');
  });

  it('each logout token has its own jti, so a system can refuse one replayed', async () => {
    await loginAndLogout('bc-rp', identities.mitid[1]!.sub);
    const jtis = receivers['bc-rp'].tokens.map((token) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti);
    expect(jtis).toHaveLength(2);
    expect(new Set(jtis).size).toBe(2);
  });
});

describe('a system that does not take the logout token', () => {
  it('is tried again, and a later success is neither an error nor a failure in the metrics', async () => {
    receivers['flaky-rp'].answers.push(500, 500);
    await loginAndLogout('flaky-rp', identities.mitid[2]!.sub);
    await expect.poll(() => receivers['flaky-rp'].tokens.length).toBe(3);
    expect(logged('backchannel.retry', 'flaky-rp').map((line) => line.attempt)).toEqual([1, 2]);
    expect(logged('backchannel.failed', 'flaky-rp')).toEqual([]);
    expect(await failuresOf('flaky-rp')).toBe(0);
  });

  it('that never takes it: every retry, then an error naming the system and the failure counted for it', async () => {
    receivers['failing-rp'].answers.push(500, 500, 500, 500);
    await loginAndLogout('failing-rp', identities.mitid[3]!.sub);
    await expect.poll(() => logged('backchannel.failed', 'failing-rp')).toHaveLength(1);
    // The first delivery and the three retries.
    expect(receivers['failing-rp'].tokens).toHaveLength(4);
    expect(logged('backchannel.failed', 'failing-rp')[0]).toMatchObject({ level: 50, attempts: 4, err: { message: expect.stringContaining('500') } });
    expect(await failuresOf('failing-rp')).toBe(1);
  });
});
