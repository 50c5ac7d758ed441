import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/i18n.ts';
import { Browser, readLinks } from '../helpers/browser.ts';
import { openAuthorize, rpAuthorizeUrl, useHarness } from '../helpers/harness.ts';

const STATEMENT = { da: 'https://acme.example/tilgaengelighed', en: 'https://acme.example/accessibility' };
const h = useHarness({ configure: (raw) => void (raw.accessibility_statement_url = STATEMENT) });

describe("the deployment's accessibility statement", () => {
  it('is linked from every page\'s footer, in the page\'s language', async () => {
    for (const locale of ['da', 'en'] as const) {
      const browser = new Browser({ 'accept-language': locale });
      const pages = [await openAuthorize(browser, await rpAuthorizeUrl(h)), await browser.get(`${h.base}/help/errors`), await browser.get(`${h.base}/no/such/page`)];
      for (const page of pages) {
        const link = readLinks(page.body, page.url).find((l) => l.attributes['data-accessibility-statement'] !== undefined);
        expect(link, `${locale} ${page.url}`).toMatchObject({ href: STATEMENT[locale], text: translate(locale, 'ui.layout.accessibilityStatement') });
      }
    }
  });
});
