import { describe, expect, it } from 'vitest';
import { Browser, readForm, type Page } from '../helpers/browser.ts';
import { chooseMethod, identities, linkedAccount, openAuthorize, RP_REDIRECT, rpAuthorizeUrl, rpExchange, toRp, upstreamLogin, useHarness } from '../helpers/harness.ts';
import { cprFingerprint } from '../../src/accounts/cpr.ts';
import { translate } from '../../src/i18n/i18n.ts';
import { afterUpstreamLogin, cookieOf, expectRefused } from './helpers/attack.ts';

// MitID logins of this tenant pass a CPR match, so the CPR form is there to attack.
const h = useHarness({ configure: (raw) => void ((raw.tenants as { require_cpr_match?: boolean }[])[0]!.require_cpr_match = true) });

/** The CSRF token of the attacker's own browser: valid, but not the victim's. */
async function attackerToken(): Promise<string> {
  const attacker = new Browser();
  const chooser = await openAuthorize(attacker, await rpAuthorizeUrl(h));
  return readForm(chooser.body, chooser.url, (f) => f.action.endsWith('/method')).fields.csrf!;
}

/**
 * Posts a form of the victim's page as another site would: without the CSRF field, and with the
 * attacker's own token. Both must be refused with `code`; returns the answers.
 */
async function forge(browser: Browser, page: Page, suffix: string, extra: Record<string, string>, code = 3000): Promise<Page[]> {
  const form = readForm(page.body, page.url, (f) => f.action.endsWith(suffix));
  const { csrf: _own, ...fields } = form.fields;
  const answers = [
    await browser.post(form.action, { ...fields, ...extra }, { until: toRp }),
    await browser.post(form.action, { ...fields, ...extra, csrf: await attackerToken() }, { until: toRp }),
  ];
  for (const answer of answers) {
    expectRefused(answer, code);
    expect(answer.location).toBeUndefined();
  }
  return answers;
}

describe('CSRF on every form', () => {
  it('method chooser and "back to the system": nothing goes upstream or back to the RP', async () => {
    const browser = new Browser();
    const chooser = await openAuthorize(browser, await rpAuthorizeUrl(h));
    await forge(browser, chooser, '/method', { method: 'nemid' });
    await forge(browser, chooser, '/abort', {});
    // The forgeries changed nothing: the owner's own next click still works.
    const mock = await chooseMethod(browser, chooser, 'nemid');
    expect(mock.url.startsWith(h.issuerOf('nemid'))).toBe(true);
  });

  it('first-time login: the invitation stays open and unused, nothing is linked', async () => {
    const account = await h.portvagt.accounts.create({ tenant: 'acme', username: 'csrf.first', displayName: 'CSRF First' });
    const { password } = await h.portvagt.invitations.issue(account.id);
    const browser = new Browser();
    const { page: form } = await afterUpstreamLogin(h, browser, 'first-login', 'nemid', identities.nemid[1]!.sub);
    await forge(browser, form, '/first-login', { username: 'csrf.first', password });
    expect((await h.portvagt.invitations.list(account.id)).map((i) => [i.status, i.attempts])).toEqual([['open', 0]]);
    expect(await h.portvagt.accounts.links(account.id)).toEqual([]);
  });

  it('link a method and finish linking: nothing goes upstream, nothing is linked, no code', async () => {
    // The verification's CPR (delivered by MitID) is the account's: the link page follows without a CPR form.
    const lars = identities.mitid[1]!;
    const account = await linkedAccount(h, 'mitid', lars.sub);
    await h.portvagt.accounts.setCprFingerprint(account.id, cprFingerprint(h.config.secrets, lars.claims.cpr!));
    const browser = new Browser();
    const { page: linkPage } = await afterUpstreamLogin(h, browser, 'link', 'mitid', lars.sub);
    expect(linkPage.url).toMatch(/\/link$/);
    await forge(browser, linkPage, '/link/method', { method: 'nemid' });
    await forge(browser, linkPage, '/link/finish', {});
    expect((await h.portvagt.accounts.links(account.id)).map((l) => l.method)).toEqual(['mitid']);
  });

  it('CPR match: no code and no CPR fingerprint stored', async () => {
    const account = await linkedAccount(h, 'mitid', identities.mitid[0]!.sub);
    const browser = new Browser();
    const { page: cprForm } = await afterUpstreamLogin(h, browser, 'login', 'mitid', identities.mitid[0]!.sub);
    expect(cprForm.url).toMatch(/\/cpr$/);
    await forge(browser, cprForm, '/cpr', { cpr: identities.mitid[0]!.claims.cpr! });
    expect((await h.portvagt.accounts.find(account.id))?.cpr_fingerprint).toBeNull();
  });

  it('language switch: a preference, not an action: a link from anywhere changes only the language, never the flow', async () => {
    const browser = new Browser();
    const chooser = await openAuthorize(browser, await rpAuthorizeUrl(h));
    const uid = new URL(chooser.url).pathname.split('/')[2]!;
    const before = await h.portvagt.store.get(`flow:${uid}`);
    const english = await browser.get(`${h.base}/lang?lang=en&return_to=${encodeURIComponent(new URL(chooser.url).pathname)}`, { follow: true });
    expect(english.url).toBe(chooser.url);
    expect(english.body).toContain('<html lang="en">');
    expect(await h.portvagt.store.get(`flow:${uid}`)).toMatchObject({ step: 'choose', uid });
    expect(before).toMatchObject({ step: 'choose', uid });
  });
});

describe('session fixation', () => {
  // Every login gives the broker session a new id, and oidc-provider's session follows the account
  // that logged in: nothing the attacker knew before the victim's login is worth the victim's login.
  it("cookies an attacker planted before the victim's login, even of a session of the attacker's own, give the attacker no login and no code of the victim's", async () => {
    // A MitID login whose delivered CPR is the account's stored one: no CPR form in the way.
    const peter = identities.mitid[3]!;
    const account = await linkedAccount(h, 'mitid', peter.sub);
    await h.portvagt.accounts.setCprFingerprint(account.id, cprFingerprint(h.config.secrets, peter.claims.cpr!));
    const mallorysId = identities['mitid-erhverv'][0]!;
    const mallory = await linkedAccount(h, 'mitid-erhverv', mallorysId.sub);
    await h.portvagt.accounts.setCprFingerprint(mallory.id, cprFingerprint(h.config.secrets, mallorysId.claims.cpr!));
    const attacker = new Browser();
    const own = await rpAuthorizeUrl(h);
    await rpExchange(h, own, (await upstreamLogin(attacker, await chooseMethod(attacker, await openAuthorize(attacker, own), 'mitid-erhverv'), mallorysId.sub)).url);
    const planted = attacker.jar.cookiesFor(new URL(h.base));
    expect(cookieOf(h, attacker, 'portvagt.browser')).toMatch(/^[\w-]{24}$/);
    expect(cookieOf(h, attacker, 'portvagt.session')).toBeDefined();

    const victim = new Browser();
    victim.jar.store(new URL(h.base), planted.map((c) => `${c.name}=${c.value}; Path=${c.path}; HttpOnly`));
    // The victim's system asks for a login of its own (prompt=login): the planted session is not used.
    const login = await rpAuthorizeUrl(h, { prompt: 'login' });
    const chooser = await openAuthorize(victim, login);
    const answer = await upstreamLogin(victim, await chooseMethod(victim, chooser, 'mitid'), peter.sub);
    // oidc-provider logs the browser out of the planted account first (a form posting itself).
    const back = answer.url.startsWith(RP_REDIRECT) ? answer : await victim.submit(answer, { until: toRp });
    expect(back.url.startsWith(RP_REDIRECT)).toBe(true);
    expect((await rpExchange(h, login, back.url)).claims()?.sub).toBe(account.id);
    // The victim's session has an id of its own; the planted one is still only the attacker's.
    expect(cookieOf(h, victim, 'portvagt.session')).not.toBe(planted.find((c) => c.name === 'portvagt.session')!.value);

    // The attacker's next authorization, with the very cookies planted, is never the victim's login.
    const next = await rpAuthorizeUrl(h);
    const page = await openAuthorize(attacker, next);
    if (page.url.startsWith(RP_REDIRECT)) expect((await rpExchange(h, next, page.url)).claims()?.sub).toBe(mallory.id);
    else expect(readForm(page.body, page.url, (f) => f.action.endsWith('/method'))).toBeDefined();
    // The victim's flow, opened with the same browser id, is finished and issues nothing.
    const replay = await attacker.get(chooser.url, { until: toRp });
    expect(replay.location).toBeUndefined();
    expect(replay.body).toContain(translate('da', 'ui.finished.heading'));
  });
});
