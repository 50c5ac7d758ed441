import { describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, identities, linkedAccount, openAuthorize, rpAuthorizeUrl, rpExchange, upstreamLogin, useHarness } from '../helpers/harness.ts';

/** An operator who keeps NSIS levels out of `acr` (docs/mitid-brokers.md, "NSIS and `acr`"): the level only in Portvagt's own `loa`. */
const h = useHarness({ configure: (raw) => void (raw.tokens = { level_claim: 'loa' }) });

describe('levels only as a loa claim', () => {
  it('gives the level in loa and no acr, still checks a level the system asks for, and advertises no acr values', async () => {
    const meta = h.rp.serverMetadata();
    expect(meta.acr_values_supported).toBeUndefined();
    expect(meta.claims_supported).toContain('loa');
    expect(meta.claims_supported).not.toContain('acr');

    const lars = identities.mitid[1]!; // level High
    const account = await linkedAccount(h, 'mitid', lars.sub);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { acr_values: 'https://data.gov.dk/concept/core/nsis/loa/High' });
    const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), lars.sub);
    const claims = (await rpExchange(h, login, back.url)).claims()!;
    expect(claims.sub).toBe(account.id);
    expect(claims.loa).toBe('https://data.gov.dk/concept/core/nsis/loa/High');
    expect(claims.acr).toBeUndefined();
  });
});
