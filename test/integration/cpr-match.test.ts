import { describe, expect, it } from 'vitest';
import { cprFingerprint } from '../../src/accounts/cpr.ts';
import { translate } from '../../src/i18n/i18n.ts';
import { Browser, type Page } from '../helpers/browser.ts';
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

const PREVIOUS_CPR_KEY = 'the-cpr-key-before-the-last-rotation-01';
const h = useHarness({
  configure: (raw) => {
    raw.timeouts = { cpr: 60 };
    // The CPR key was rotated: fingerprints of the previous key still match until re-made.
    (raw.secrets as Record<string, unknown>).cpr_hmac_previous_keys = [PREVIOUS_CPR_KEY];
    (raw.tenants as Record<string, unknown>[])[0]!.require_cpr_match = true;
  },
});

const mette = identities.mitid[0]!; // CPR 1204851234
const lars = identities.mitid[1]!; // CPR 0307724321
const anna = identities.mitid[2]!; // MitID gives no CPR for her

async function loginTo(browser: Browser, method: string, subject: string) {
  const login = await rpAuthorizeUrl(h);
  const page = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), method), subject);
  return { login, page };
}

const typeCpr = (browser: Browser, page: Page, cpr: string) => browser.submit(page, { form: (f) => f.action.endsWith('/cpr'), fields: { cpr }, until: toRp });

describe('CPR match after a MitID login', () => {
  it('logs in when the typed CPR matches the one MitID returned, and remembers only its fingerprint', async () => {
    const account = await linkedAccount(h, 'mitid', mette.sub);
    const browser = new Browser();
    const { login, page } = await loginTo(browser, 'mitid', mette.sub);
    expect(page.body).toContain('name="cpr"');
    const wrongFormat = await typeCpr(browser, page, '12-34');
    expect(wrongFormat.status).toBe(400);
    const back = await typeCpr(browser, wrongFormat, '120485-1234');
    expect((await rpExchange(h, login, back.url)).claims()!.sub).toBe(account.id);
    const stored = await h.portvagt.accounts.find(account.id);
    expect(stored!.cpr_fingerprint).toBe(cprFingerprint(h.config.secrets, '1204851234'));
    expect(JSON.stringify(stored)).not.toContain('1204851234');
    expect(h.logLines.join('\n')).not.toContain('1204851234');
  });

  it('ends in 4001 after three wrong CPR numbers', async () => {
    await linkedAccount(h, 'mitid', lars.sub);
    const browser = new Browser();
    const { page } = await loginTo(browser, 'mitid', lars.sub);
    const first = await typeCpr(browser, page, '0101011234');
    expect(first.status).toBe(401);
    const second = await typeCpr(browser, first, '0101011235');
    const third = await typeCpr(browser, second, '0101011236');
    expect(errorCode(third)).toBe(4001);
    // The cause is known: the page says the number did not match, not "either … or you were idle".
    expect(third.body).toContain(translate('da', 'codes.4001.variants.mismatch.title'));
  });

  it('matches against the stored fingerprint when MitID returns no CPR; with none, 3005 and an error log naming upstream and claim', async () => {
    const account = await linkedAccount(h, 'mitid', anna.sub);
    const without = new Browser();
    const linesBefore = h.logLines.length;
    const first = await loginTo(without, 'mitid', anna.sub);
    expect(errorCode(first.page)).toBe(3005);
    expect(first.page.body).not.toContain('name="cpr"');
    const logged = h.logLines.slice(linesBefore).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(expect.objectContaining({ level: 50, upstream: 'mitid', claim: 'cpr', claimNames: 'cpr' }));

    await h.portvagt.accounts.setCprFingerprint(account.id, cprFingerprint(h.config.secrets, '0202021234'));
    const browser = new Browser();
    const { login, page } = await loginTo(browser, 'mitid', anna.sub);
    const back = await typeCpr(browser, page, '020202-1234');
    expect((await rpExchange(h, login, back.url)).claims()!.sub).toBe(account.id);
  });

  it('matches a fingerprint stored under the previous CPR key, and re-makes it with the current key', async () => {
    const account = await h.portvagt.accounts.create({ tenant: 'acme', username: 'cpr.rotated', displayName: 'Rotated' });
    await h.portvagt.accounts.link(account.id, { method: 'mitid-erhverv', issuer: h.issuerOf('mitid-erhverv'), subject: identities['mitid-erhverv'][1]!.sub });
    const previous = cprFingerprint({ cpr_hmac_key: PREVIOUS_CPR_KEY, cpr_hmac_previous_keys: [] }, '0202021234');
    await h.portvagt.accounts.setCprFingerprint(account.id, previous);
    const browser = new Browser();
    const { login, page } = await loginTo(browser, 'mitid-erhverv', identities['mitid-erhverv'][1]!.sub);
    const back = await typeCpr(browser, page, '020202-1234');
    expect((await rpExchange(h, login, back.url)).claims()!.sub).toBe(account.id);
    expect((await h.portvagt.accounts.find(account.id))!.cpr_fingerprint).toBe(cprFingerprint(h.config.secrets, '0202021234'));
  });

  it('answers 4000 when the CPR form is sent after its time, and 4001 when it is reopened after its time', async () => {
    // Anna's MitID delivers no CPR, and her account has a stored one (above): the form asks for it.
    const browser = new Browser();
    const { page } = await loginTo(browser, 'mitid', anna.sub);
    expect(page.body).toContain('name="cpr"');
    h.clock.advance(61_000);
    expect(errorCode(await typeCpr(browser, page, '0202021234'))).toBe(4000);

    const other = new Browser();
    const second = await loginTo(other, 'mitid', anna.sub);
    h.clock.advance(61_000);
    const reopened = await other.get(second.page.url, { follow: true });
    expect(errorCode(reopened)).toBe(4001);
    expect(reopened.body).toContain(translate('da', 'codes.4001.cause'));
  });

  it('holds a NemID login to the same rule: refused without a confirmed CPR, the CPR form once the account has one', async () => {
    // Anna's NemID delivers no CPR number.
    const account = await linkedAccount(h, 'nemid', identities.nemid[2]!.sub);
    const refused = await loginTo(new Browser(), 'nemid', identities.nemid[2]!.sub);
    expect(errorCode(refused.page)).toBe(6001);
    expect(refused.page.body).toContain('Dit CPR-nummer er ikke bekræftet endnu');

    await h.portvagt.accounts.setCprFingerprint(account.id, cprFingerprint(h.config.secrets, '0202021234'));
    const browser = new Browser();
    const { login, page } = await loginTo(browser, 'nemid', identities.nemid[2]!.sub);
    const wrong = await typeCpr(browser, page, '1204851234');
    expect(wrong.status).toBe(401);
    const back = await typeCpr(browser, wrong, '020202-1234');
    expect((await rpExchange(h, login, back.url)).claims()!.sub).toBe(account.id);
  });

  it('lets the stored fingerprint win: a MitID of another person is refused, whatever number is typed', async () => {
    // Regression: the typed number was compared only with the broker's, so another person typing their own number got in.
    const peter = identities.mitid[3]!; // CPR 1508904567, delivered by MitID
    const account = await linkedAccount(h, 'mitid', peter.sub);
    await h.portvagt.accounts.setCprFingerprint(account.id, cprFingerprint(h.config.secrets, '0202021234'));
    const { page } = await loginTo(new Browser(), 'mitid', peter.sub);
    expect(errorCode(page)).toBe(6001);
    expect(page.body).not.toContain('name="cpr"');
    expect(page.body).toContain('som en anden person end den brugeren');
    expect((await h.portvagt.accounts.find(account.id))!.cpr_fingerprint).toBe(cprFingerprint(h.config.secrets, '0202021234'));
  });
});
