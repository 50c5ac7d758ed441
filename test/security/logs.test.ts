import { describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { identities, RP_REDIRECT, RP_SECRET, rpExchange, toRp, useHarness } from '../helpers/harness.ts';
import { callbackUrlOf, submitForm } from './helpers/attack.ts';

// Logins pass a CPR match here, so a CPR number is typed (once wrong) during the first-time login.
const h = useHarness({ configure: (raw) => void ((raw.tenants as { require_cpr_match?: boolean }[])[0]!.require_cpr_match = true) });

describe('secrets never reach the log', () => {
  it('a first-time login, a login with CPR match and the token exchange log no secret', async () => {
    const secrets: string[] = [RP_SECRET, ...[...h.config.methods.values()].flatMap(({ auth }) => ('secret' in auth ? [auth.secret] : [])), ...h.config.secrets.cookie_keys, h.config.secrets.cpr_hmac_key];
    const subject = identities.mitid[0]!.sub;
    const cpr = identities.mitid[0]!.claims.cpr!;
    const wrongCpr = identities.mitid[1]!.claims.cpr!;
    secrets.push(cpr, `${cpr.slice(0, 6)}-${cpr.slice(6)}`, wrongCpr);
    const linesBefore = h.logLines.length;

    const account = await h.portvagt.accounts.create({ tenant: 'acme', username: 'log.user', displayName: 'Log User' });
    const { password } = await h.portvagt.invitations.issue(account.id);
    secrets.push(password);

    const browser = new Browser();
    const first = await callbackUrlOf(h, browser, 'mitid', subject, { action: 'first-login' });
    secrets.push(new URL(first.callbackUrl).searchParams.get('code')!, new URL(first.callbackUrl).searchParams.get('state')!);
    const form = await browser.get(first.callbackUrl, { until: toRp });
    await submitForm(browser, form, '/first-login', { username: 'log.user', password: 'wrong-password' });
    // The account has no CPR yet: the first-time login confirms the one MitID delivered on the CPR form.
    const cprForm = await submitForm(browser, form, '/first-login', { username: 'log.user', password });
    expect(cprForm.url).toMatch(/\/cpr$/);
    await submitForm(browser, cprForm, '/cpr', { cpr: wrongCpr });
    const firstBack = await submitForm(browser, cprForm, '/cpr', { cpr: `${cpr.slice(0, 6)}-${cpr.slice(6)}` });
    expect(firstBack.url.startsWith(RP_REDIRECT)).toBe(true);
    const firstTokens = await rpExchange(h, first.login, firstBack.url);

    // From then on the CPR MitID delivers is compared with the stored fingerprint: no form.
    // A new upstream login (prompt=login), not the session's single sign-on.
    const second = await callbackUrlOf(h, browser, 'mitid', subject, { prompt: 'login' });
    secrets.push(new URL(second.callbackUrl).searchParams.get('code')!);
    const back = await browser.get(second.callbackUrl, { until: toRp });
    expect(back.url.startsWith(RP_REDIRECT)).toBe(true);
    const tokens = await rpExchange(h, second.login, back.url);

    for (const [page, set] of [[firstBack, firstTokens], [back, tokens]] as const) {
      secrets.push(new URL(page.url).searchParams.get('code')!, set.access_token, set.id_token!);
    }
    for (const cookie of browser.jar.cookiesFor(new URL(h.base))) secrets.push(cookie.value, decodeURIComponent(cookie.value));

    const log = h.logLines.slice(linesBefore).join('\n');
    expect(log).toContain('"msg":"request"');
    for (const secret of secrets) expect(secret.length).toBeGreaterThan(7);
    expect(secrets.filter((secret) => log.includes(secret))).toEqual([]);
  });
});
