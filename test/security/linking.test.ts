import { describe, expect, it } from 'vitest';
import type { Flow } from '../../src/flows/flow-state.ts';
import { Browser, readForm, type Page } from '../helpers/browser.ts';
import { identities, linkedAccount, openAuthorize, rpAuthorizeUrl, toRp, upstreamLogin, useHarness } from '../helpers/harness.ts';
import { afterUpstreamLogin, expectRefused, submitForm } from './helpers/attack.ts';

const h = useHarness();

const methodsOf = async (accountId: string) => (await h.portvagt.accounts.links(accountId)).map((l) => l.method).sort();

/** A link flow verified with `method`: the link page. */
async function verified(browser: Browser, method: string, subject: string): Promise<Page> {
  const { page } = await afterUpstreamLogin(h, browser, 'link', method, subject);
  expect(page.url).toMatch(/\/link$/);
  return page;
}

/** Picks a method on the link page: the mock upstream's page. */
const pickMethod = (browser: Browser, linkPage: Page, method: string) => submitForm(browser, linkPage, '/link/method', {}, { name: 'method', value: method });

const uidOf = (page: Page) => /\/interaction\/([^/]+)/.exec(new URL(page.url).pathname)![1]!;

/** Moves a flow's verification login back in time, as if the user had waited that long. */
async function ageVerification(uid: string, minutes: number): Promise<void> {
  const flow = (await h.portvagt.store.get<Flow>(`flow:${uid}`))!;
  if ((flow.step !== 'link-page' && flow.step !== 'upstream') || !flow.verified) throw new Error(`test setup: flow at ${flow.step}`);
  await h.portvagt.store.set(`flow:${uid}`, { ...flow, verified: { ...flow.verified, at: flow.verified.at - minutes * 60_000 } }, 3600);
}

describe('account takeover by linking', () => {
  it("an identity owned by another account is refused with 6002; neither account changes", async () => {
    const owner = await linkedAccount(h, 'mitid-erhverv', identities['mitid-erhverv'][0]!.sub);
    await h.portvagt.accounts.link(owner.id, { method: 'nemid', issuer: h.issuerOf('nemid'), subject: identities.nemid[0]!.sub });
    const taker = await linkedAccount(h, 'mitid-erhverv', identities['mitid-erhverv'][1]!.sub);
    const browser = new Browser();
    const linkPage = await verified(browser, 'mitid-erhverv', identities['mitid-erhverv'][1]!.sub);
    expectRefused(await upstreamLogin(browser, await pickMethod(browser, linkPage, 'nemid'), identities.nemid[0]!.sub), 6002);
    expect(await methodsOf(taker.id)).toEqual(['mitid-erhverv']);
    expect(await methodsOf(owner.id)).toEqual(['mitid-erhverv', 'nemid']);
  });

  it('a login flow, or a link flow not yet verified, cannot add a method', async () => {
    const account = await linkedAccount(h, 'nordigo-2fa', identities['2fa'][0]!.sub);
    for (const action of ['login', 'link']) {
      const browser = new Browser();
      const chooser = await openAuthorize(browser, await rpAuthorizeUrl(h, { action }));
      const csrf = readForm(chooser.body, chooser.url, (f) => f.action.endsWith('/method')).fields.csrf!;
      const linkMethod = chooser.url.replace(/\/?$/, '/link/method');
      expectRefused(await browser.post(linkMethod, { csrf, method: 'nemid' }, { until: toRp }), 4100);
    }
    expect(await methodsOf(account.id)).toEqual(['nordigo-2fa']);
  });

  it("another browser cannot use a verified link flow's address", async () => {
    const account = await linkedAccount(h, 'nordigo-2fa', identities['2fa'][1]!.sub);
    const linkPage = await verified(new Browser(), 'nordigo-2fa', identities['2fa'][1]!.sub);
    const attacker = new Browser();
    const own = await openAuthorize(attacker, await rpAuthorizeUrl(h));
    const csrf = readForm(own.body, own.url, (f) => f.action.endsWith('/method')).fields.csrf!;
    expectRefused(await attacker.get(linkPage.url, { until: toRp }), 3002);
    expectRefused(await attacker.post(`${linkPage.url}/method`, { csrf, method: 'nemid' }, { until: toRp }), 3002);
    expect(await methodsOf(account.id)).toEqual(['nordigo-2fa']);
  });

  it('a verification older than the limit cannot add a method, before or after going upstream', async () => {
    const account = await linkedAccount(h, 'nordigo-2fa', identities['2fa'][2]!.sub);
    const stale = new Browser();
    const stalePage = await verified(stale, 'nordigo-2fa', identities['2fa'][2]!.sub);
    await ageVerification(uidOf(stalePage), 11);
    expectRefused(await pickMethod(stale, stalePage, 'nemid'), 4100);

    const late = new Browser();
    const latePage = await verified(late, 'nordigo-2fa', identities['2fa'][2]!.sub);
    const mockPage = await pickMethod(late, latePage, 'nemid');
    await ageVerification(uidOf(latePage), 11);
    expectRefused(await upstreamLogin(late, mockPage, identities.nemid[1]!.sub), 4100);
    expect(await methodsOf(account.id)).toEqual(['nordigo-2fa']);
    expect(await h.portvagt.accounts.findByIdentity(h.issuerOf('nemid'), identities.nemid[1]!.sub)).toBeUndefined();
  });

  it('two concurrent links of one identity to two accounts: exactly one wins', async () => {
    const x = await linkedAccount(h, 'mitid', identities.mitid[0]!.sub);
    const y = await linkedAccount(h, 'mitid', identities.mitid[1]!.sub);
    const bx = new Browser();
    const by = new Browser();
    const mockX = await pickMethod(bx, await verified(bx, 'mitid', identities.mitid[0]!.sub), 'nemid');
    const mockY = await pickMethod(by, await verified(by, 'mitid', identities.mitid[1]!.sub), 'nemid');
    const contested = identities.nemid[2]!.sub;
    const pages = await Promise.all([upstreamLogin(bx, mockX, contested), upstreamLogin(by, mockY, contested)]);
    const won = pages.filter((p) => p.url.endsWith('/link') && p.status === 200);
    expect(won).toHaveLength(1);
    expectRefused(pages.find((p) => !won.includes(p))!, 6002);
    const owners = [await methodsOf(x.id), await methodsOf(y.id)].filter((m) => m.includes('nemid'));
    expect(owners).toHaveLength(1);
    const owner = await h.portvagt.accounts.findByIdentity(h.issuerOf('nemid'), contested);
    expect([x.id, y.id]).toContain(owner?.id);
  });
});
