import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/i18n.ts';
import { Browser, readLinks, type Page } from '../helpers/browser.ts';
import {
  chooseMethod,
  errorCode,
  identities,
  linkedAccount,
  openAuthorize,
  toRp,
  rpAuthorizeUrl,
  rpExchange,
  useHarness,
  upstreamLogin,
} from '../helpers/harness.ts';

const h = useHarness({ configure: (raw) => void (raw.timeouts = { link: 60 }) });

const methodsOf = async (accountId: string) => (await h.portvagt.accounts.links(accountId)).map((l) => l.method).sort();

/** Starts action=link and verifies with an already linked method; returns the link page. */
async function verify(browser: Browser, method: string, subject: string) {
  const login = await rpAuthorizeUrl(h, { action: 'link' });
  const chooser = await openAuthorize(browser, login);
  const page = await upstreamLogin(browser, await chooseMethod(browser, chooser, method), subject);
  return { login, page };
}

/** On the link page, picks a method and logs in upstream with it; returns the page after the callback. */
async function linkMethod(browser: Browser, linkPage: Page, method: string, subject: string) {
  const mock = await browser.submit(linkPage, { form: (f) => f.action.endsWith('/link/method'), button: { name: 'method', value: method }, until: toRp });
  return upstreamLogin(browser, mock, subject);
}

const isDisabled = (page: Page, method: string) => new RegExp(`data-method="${method}"[^>]*disabled`).test(page.body);

describe('linking login methods', () => {
  it('links a second and a third method, shows them as linked, and each logs in afterwards', async () => {
    const account = await linkedAccount(h, 'mitid', identities.mitid[1]!.sub);
    const browser = new Browser();
    const { login, page } = await verify(browser, 'mitid', identities.mitid[1]!.sub);
    expect(page.url).toContain('/link');
    expect(isDisabled(page, 'mitid')).toBe(true);
    expect(isDisabled(page, 'nemid')).toBe(false);
    expect(page.body).not.toContain('flow-notice');

    const afterNemid = await linkMethod(browser, page, 'nemid', identities.nemid[1]!.sub);
    expect(isDisabled(afterNemid, 'nemid')).toBe(true);
    expect(afterNemid.body).toContain('NemID er nu tilknyttet.');
    const after2fa = await linkMethod(browser, afterNemid, 'nordigo-2fa', identities['2fa'][1]!.sub);
    expect(isDisabled(after2fa, 'nordigo-2fa')).toBe(true);
    expect(after2fa.body).toContain('Nordigo 2FA er nu tilknyttet.');
    expect(await methodsOf(account.id)).toEqual(['mitid', 'nemid', 'nordigo-2fa']);

    const finished = await browser.submit(after2fa, { form: (f) => f.action.endsWith('/link/finish'), until: toRp });
    expect((await rpExchange(h, login, finished.url)).claims()!.sub).toBe(account.id);

    for (const [method, subject] of [['nemid', identities.nemid[1]!.sub], ['nordigo-2fa', identities['2fa'][1]!.sub]] as const) {
      const next = new Browser();
      const again = await rpAuthorizeUrl(h);
      const back = await upstreamLogin(next, await chooseMethod(next, await openAuthorize(next, again), method), subject);
      const claims = (await rpExchange(h, again, back.url)).claims()!;
      expect(claims.sub).toBe(account.id);
      expect(claims.amr).toEqual([method]);
    }
  });

  it('needs a linked method to verify: an unknown identity gets 6001', async () => {
    const { page } = await verify(new Browser(), 'mitid', identities.mitid[2]!.sub);
    expect(errorCode(page)).toBe(6001);
  });

  it('refuses an identity owned by another account and changes nothing', async () => {
    const owner = await linkedAccount(h, 'mitid-erhverv', identities['mitid-erhverv'][1]!.sub);
    await h.portvagt.accounts.link(owner.id, { method: 'nemid', issuer: h.issuerOf('nemid'), subject: identities.nemid[2]!.sub });
    const account = await linkedAccount(h, 'mitid-erhverv', identities['mitid-erhverv'][2]!.sub);
    const browser = new Browser();
    const { page } = await verify(browser, 'mitid-erhverv', identities['mitid-erhverv'][2]!.sub);
    const takeover = await linkMethod(browser, page, 'nemid', identities.nemid[2]!.sub);
    expect(errorCode(takeover)).toBe(6002);
    expect(await methodsOf(account.id)).toEqual(['mitid-erhverv']);
    expect(await methodsOf(owner.id)).toEqual(['mitid-erhverv', 'nemid']);
    // The way on its text names: back to the link page, to link another method or finish.
    const links = readLinks(takeover.body, takeover.url).find((l) => l.text === translate('da', 'ui.errorPage.toLinkPage'));
    const linkPage = await browser.get(links!.href, { follow: true });
    expect(new URL(linkPage.url).pathname).toMatch(/\/link$/);
    expect(linkPage.body).toContain('/link/finish');
  });

  it('answers 4100 when the link page is used after the link session expired', async () => {
    await linkedAccount(h, 'nordigo-2fa', identities['2fa'][2]!.sub);
    const browser = new Browser();
    const { page } = await verify(browser, 'nordigo-2fa', identities['2fa'][2]!.sub);
    h.clock.advance(61_000);
    const late = await browser.submit(page, { form: (f) => f.action.endsWith('/link/method'), button: { name: 'method', value: 'mitid' }, until: toRp });
    expect(errorCode(late)).toBe(4100);
  });
});
