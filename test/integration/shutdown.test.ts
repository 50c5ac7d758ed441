import { describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, identities, linkedAccount, openAuthorize, rpAuthorizeUrl, rpExchange, upstreamLogin, useHarness } from '../helpers/harness.ts';

const h = useHarness();
const LOGINS = 8;

describe('graceful shutdown', () => {
  it('keeps serving during the grace period with readiness at 503 shutting_down, and loses no login that had started', { timeout: 60_000 }, async () => {
    const subject = identities.mitid[0]!.sub;
    const account = await linkedAccount(h, 'mitid', subject);
    // Eight logins, each stopped at the upstream's login page: they have started at Portvagt.
    const started = await Promise.all(
      Array.from({ length: LOGINS }, async () => {
        const browser = new Browser();
        const login = await rpAuthorizeUrl(h);
        return { browser, login, mockPage: await chooseMethod(browser, await openAuthorize(browser, login), 'mitid') };
      }),
    );

    const closing = h.portvagt.close({ graceMs: 4000 });
    const ready = await fetch(`${h.base}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { status: string }).status).toBe('shutting_down');
    // Draining answers end their connection, so no client reuses one that is about to close.
    expect(ready.headers.get('connection')).toBe('close');

    const finished = await Promise.allSettled(
      started.map(async ({ browser, login, mockPage }) => (await rpExchange(h, login, (await upstreamLogin(browser, mockPage, subject)).url)).claims()!.sub),
    );
    expect(finished.map((f) => (f.status === 'fulfilled' ? f.value : String(f.reason)))).toEqual(Array(LOGINS).fill(account.id));
    await closing;
    await expect(fetch(`${h.base}/healthz`)).rejects.toThrow();
  });
});
