import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/i18n.ts';
import { Browser, readLinks, type Page } from '../helpers/browser.ts';
import { chooseMethod, errorCode, identities, openAuthorize, rpAuthorizeUrl, toRp, useHarness } from '../helpers/harness.ts';

const HOME = 'https://rp.example/home';
const h = useHarness({
  configure: (raw) => {
    (raw.clients as Record<string, unknown>[])[0]!.client_uri = HOME;
  },
});

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');
const uidOf = (page: Page) => new URL(page.url).pathname.split('/')[2]!;

/** Rewrites a stored flow, as an instance of another version (or an altered store) would have left it. */
async function rewrite(uid: string, change: (record: Record<string, unknown>) => void): Promise<void> {
  const record = await h.portvagt.store.get<Record<string, unknown>>(`flow:${uid}`);
  expect(record).toBeDefined();
  change(record!);
  await h.portvagt.store.set(`flow:${uid}`, record, 600);
}

/** The page a login ends on when its flow cannot be read: 3001, branded, the way back to the system, nothing to retry. */
function expectUpgradedPage(page: Page): void {
  expect(errorCode(page)).toBe(3001);
  expect(page.body).toContain(escaped(translate('da', 'codes.3001.variants.upgraded.title')));
  expect(page.body).toContain('<span class="brand-name">Test System</span>');
  expect(readLinks(page.body, page.url).find((l) => l.href === HOME)?.text).toBe(translate('da', 'ui.errorPage.backToSystem', { system: 'Test System' }));
  expect(page.body).not.toContain(translate('da', 'ui.errorPage.tryAgain'));
}

describe('a flow stored in a shape this version does not read (a rolling deploy)', () => {
  it('a record of the previous shape (no version) ends the login on a clean page with the way back to the system', async () => {
    const browser = new Browser();
    const chooser = await openAuthorize(browser, await rpAuthorizeUrl(h));
    await rewrite(uidOf(chooser), (record) => delete record.version);
    expectUpgradedPage(await browser.get(chooser.url, { follow: true }));
  });

  it('so does one whose fields do not fit its step, at the chooser form and at the upstream callback', async () => {
    const browser = new Browser();
    const chooser = await openAuthorize(browser, await rpAuthorizeUrl(h));
    await rewrite(uidOf(chooser), (record) => (record.stepExpiresAt = 'tomorrow'));
    expectUpgradedPage(await browser.submit(chooser, { form: (f) => f.action.endsWith('/method'), fields: { method: 'mitid' }, follow: true }));

    const other = new Browser();
    const next = await openAuthorize(other, await rpAuthorizeUrl(h));
    const mock = await chooseMethod(other, next, 'mitid');
    await rewrite(uidOf(next), (record) => delete (record.login as Record<string, unknown>).codeVerifier);
    const back = await other.submit(mock, { form: (f) => f.action.endsWith('/login'), fields: { identity: identities.mitid[0]!.sub }, until: toRp });
    expectUpgradedPage(back);
  });
});
