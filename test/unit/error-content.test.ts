import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { BrokerError } from '../../src/errors/broker-error.ts';
import { errorContent } from '../../src/outcomes/error-content.ts';
import { hasKey, LOCALES, translate } from '../../src/i18n/i18n.ts';
import { ELSEWHERE, elsewhere } from '../../src/errors/elsewhere.ts';
import { DIALECTS } from '../../src/upstream/dialects/index.ts';

function config(changes: { clientSupport?: boolean; actions?: string[]; methods?: string[] } = {}) {
  return parseConfig({
    secrets: { cookie_keys: ['k'.repeat(32)], cpr_hmac_key: 'c'.repeat(32) },
    support: { name: { da: 'Driftens support', en: 'Operations support' }, email: 'ops@example.dk' },
    tenants: [{ id: 'acme', name: 'Acme', support: { name: 'Acme IT' } }],
    clients: [
      {
        client_id: 'rp',
        client_secret: 's'.repeat(16),
        redirect_uris: ['https://rp.example/cb'],
        display_name: 'RP',
        tenants: ['acme'],
        login_methods: changes.methods ?? ['nemid', 'twofa'],
        ...(changes.actions ? { actions: changes.actions } : {}),
        ...(changes.clientSupport ? { support: { name: 'RP-support', phone: '+45 11 22 33 44' } } : {}),
      },
    ],
    upstreams: [
      { id: 'nemid', display_name: 'NemID', dialect: 'nemid', mock: 'nemid', client_id: 'x', client_secret: 'y', support: { name: 'NemID-support', url: 'https://www.nemid.nu/dk-da/support/faa_hjaelp_til_nemid/kontakt/' } },
      { id: 'twofa', display_name: 'Firma-2FA', dialect: 'hid', mock: '2fa', client_id: 'x', client_secret: 'y' },
    ],
  });
}

const context = { clientId: 'rp', tenant: 'acme', method: 'nemid', retryUrl: '/interaction/abc' };
const fromRow = (dialect: keyof typeof DIALECTS, reason: string) => {
  const { code, ...advice } = DIALECTS[dialect].rows[reason]!;
  return new BrokerError(code, { advice, upstream: { upstream: 'x', dialect } });
};

describe('error page content', () => {
  it('takes retry, contact and links from the row, and drops a link the contact block already gives', () => {
    const content = errorContent(config(), fromRow('nemid', 'LOCK001'), context, 'da');
    expect(content).toMatchObject({ retry: false, chooseOther: true, guidance: 'nemid.quarantine', contact: { name: 'NemID-support' }, vars: { method: 'NemID' } });
    expect(content.links).toEqual([]);
    expect(errorContent(config({ methods: ['nemid'] }), fromRow('nemid', 'LOCK001'), context, 'da').chooseOther).toBe(false);
  });

  it('resolves the contact kind: service (client, else deployment), IT (tenant), bank (none)', () => {
    expect(errorContent(config(), new BrokerError(500), context, 'en').contact?.name).toBe('Operations support');
    expect(errorContent(config({ clientSupport: true }), new BrokerError(500), context, 'da').contact).toMatchObject({ name: 'RP-support', phone: '+45 11 22 33 44' });
    expect(errorContent(config(), fromRow('hid', 'hid_failure:2'), { ...context, method: 'twofa' }, 'da').contact?.name).toBe('Acme IT');
    expect(errorContent(config(), fromRow('nemid', 'AUTH003'), context, 'da').contact).toBeUndefined();
  });

  it('shows contact details only where the page tells the user to contact someone', () => {
    expect(errorContent(config(), fromRow('mitid', 'cancel'), context, 'da').contact).toBeUndefined();
    expect(errorContent(config(), fromRow('nemid', 'SRV001'), context, 'da').contact?.name).toBe('Driftens support');
    expect(errorContent(config(), new BrokerError(3001), context, 'da').contact).toBeUndefined();
  });

  it('offers the action the text names: a first-time login on 6001 where the client allows it, never for a disabled account', () => {
    expect(errorContent(config(), new BrokerError(6001), context, 'da').offer).toEqual({ label: 'Start førstegangslogin', post: '/interaction/abc/first-login/start' });
    expect(errorContent(config({ actions: ['login', 'link'] }), new BrokerError(6001), context, 'da').offer).toBeUndefined();
    expect(errorContent(config(), new BrokerError(6001, { variant: 'disabled' }), context, 'da')).toMatchObject({ offer: undefined, textKey: 'codes.6001.variants.disabled' });
  });

  it('words 6002 per flow, offers its way on (a login; the link page) and links the matching help section', () => {
    expect(errorContent(config(), new BrokerError(6002), context, 'da')).toMatchObject({ textKey: 'codes.6002', help: undefined, offer: { label: 'Log ind', post: '/interaction/abc/login/start' } });
    expect(errorContent(config(), new BrokerError(6002, { variant: 'link' }), context, 'da')).toMatchObject({ textKey: 'codes.6002.variants.link', help: { section: 'linking' }, offer: { label: 'Tilbage til dine loginmetoder', href: '/interaction/abc' } });
    expect(errorContent(config(), new BrokerError(5007), context, 'da').help?.href).toBe('/help/errors?return=%2Finteraction%2Fabc&method=nemid&at=first-login#first-login');
  });

  it('words every way a flow cannot go on in this browser, in every language, without "Prøv igen" and with the support', () => {
    for (const variant of ELSEWHERE) {
      for (const locale of LOCALES) for (const part of ['title', 'cause', 'action']) expect(hasKey(locale, `codes.3002.variants.${variant}.${part}`), `${locale} ${variant}.${part}`).toBe(true);
      const content = errorContent(config(), elsewhere(variant, 'test'), { clientId: 'rp' }, 'da');
      expect(content).toMatchObject({ textKey: `codes.3002.variants.${variant}`, retry: false, contact: { name: 'Driftens support' } });
    }
  });

  it('names the method used in the class texts, in both languages', () => {
    for (const locale of ['da', 'en']) {
      for (const code of [5500, 5501, 5502]) {
        const { textKey, vars } = errorContent(config(), new BrokerError(code as 5500), context, locale);
        for (const part of ['title', 'cause']) {
          const text = translate(locale, `${textKey}.${part}`, vars);
          expect(text).toContain('NemID');
          expect(text).not.toMatch(/MitID|\{method\}/);
        }
      }
    }
  });
});
