import fc from 'fast-check';
import * as client from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/accounts.ts';
import { cprFingerprint } from '../../src/accounts/cpr.ts';
import { levelOfUri, meets, strictest, type NsisLevel } from '../../src/assurance.ts';
import { Browser, readForms, readLinks, type Page } from '../helpers/browser.ts';
import { addCprSystem, identities, RP_REDIRECT, rpAuthorizeUrl, rpExchange, rpOf, toRp, useHarness, type RpLogin } from '../helpers/harness.ts';

/**
 * Random walks through the flows, as a user (or an attacker with the same browser) could click:
 * any form or link on the page, back, reload, a second tab, time passing. Whatever the walk, every
 * code that reaches a system is a login its rules allow: account, tenant, method, level, CPR.
 */

const LOA = 'https://data.gov.dk/concept/core/nsis/loa/';
const h = useHarness({ configure: (raw) => addCprSystem(raw, { min_assurance: 'substantial' }) });

/** The invented people behind the mock identities, and their CPR numbers. */
const PERSON_CPR: Record<string, string> = { 'Mette Jensen': '1204851234', 'Lars Nielsen': '0307724321', 'Anna Hansen': '0202021234', 'Peter Lund': '1508904567', 'Sofie Andersen': '2309881112', 'Drift Administrator': '0101700123' };
const ALL = Object.values(identities).flat();
const personOf = (subject: string) => ALL.find((i) => i.sub === subject)!.claims.name!;
const levelOf = (subject: string) => levelOfUri(ALL.find((i) => i.sub === subject)!.acr);

const SYSTEMS = {
  'test-rp': { tenant: 'acme', methods: ['mitid', 'mitid-erhverv', 'nemid', 'nordigo-2fa'], minLevel: 'low' as NsisLevel, cpr: false },
  'cpr-rp': { tenant: 'beta', methods: ['mitid', 'mitid-erhverv', 'nemid', 'nordigo-2fa'], minLevel: 'substantial' as NsisLevel, cpr: true },
} as const;
type System = keyof typeof SYSTEMS;

let rps: Record<System, client.Configuration>;
/** Fresh first-time-login accounts per walk; their one-time passwords. */
const passwords = new Map<string, string>();

/**
 * The world the walks meet. Acme: Mette (MitID, 2FA) and a disabled account (Peter's MitID). Beta,
 * where the CPR must match: Lars, whose stored CPR is his own (MitID, NemID, 2FA); and accounts no
 * login may reach: Mette's, whose stored CPR is Lars's (her MitID Erhverv and NemID deliver hers),
 * Anna's without a stored CPR (her MitID and NemID deliver none), Drift's without one (2FA only).
 */
beforeAll(async () => {
  rps = { 'test-rp': h.rp, 'cpr-rp': await rpOf(h, 'cpr-rp') };
  const account = async (tenant: string, person: string, links: [string, string][], options: { stored?: string; disabled?: boolean } = {}) => {
    const created = await h.portvagt.accounts.create({ tenant, username: `${person.split(' ')[0]!.toLowerCase()}-${tenant}`, displayName: person });
    for (const [method, subject] of links) await h.portvagt.accounts.link(created.id, { method, issuer: h.issuerOf(method), subject });
    if (options.stored) await h.portvagt.accounts.setCprFingerprint(created.id, cprFingerprint(h.config.secrets, options.stored));
    if (options.disabled) await h.portvagt.accounts.setStatus(created.id, 'disabled');
  };
  await account('acme', 'Mette Jensen', [['mitid', identities.mitid[0]!.sub], ['nordigo-2fa', identities['2fa'][0]!.sub]]);
  await account('acme', 'Peter Lund', [['mitid', identities.mitid[3]!.sub]], { disabled: true });
  await account('beta', 'Lars Nielsen', [['mitid', identities.mitid[1]!.sub], ['nemid', identities.nemid[1]!.sub], ['nordigo-2fa', identities['2fa'][1]!.sub]], { stored: PERSON_CPR['Lars Nielsen'] });
  await account('beta', 'Mette Jensen', [['mitid-erhverv', identities['mitid-erhverv'][0]!.sub], ['nemid', identities.nemid[0]!.sub]], { stored: PERSON_CPR['Lars Nielsen'] });
  await account('beta', 'Anna Hansen', [['mitid', identities.mitid[2]!.sub], ['nemid', identities.nemid[2]!.sub]]);
  await account('beta', 'Drift Administrator', [['nordigo-2fa', identities['2fa'][2]!.sub]]);
});

interface Tab {
  system: System;
  login: RpLogin;
  params: Record<string, string>;
  page: Page;
  history: string[];
  /** The first-time-login account of this tab, whose one-time password the user has. */
  invited?: Account;
  /** The identity of the tab's last upstream login. */
  lastSubject?: string;
}

/** One thing a user can do now, decided by the next random choice. */
type Action = () => Promise<void>;

class Walk {
  readonly browser = new Browser();
  readonly tabs: Tab[] = [];
  readonly issued: { tab: Tab; url: string }[] = [];
  private readonly choices: number[];

  constructor(choices: number[]) {
    this.choices = choices;
  }

  pick<T>(options: readonly T[]): T {
    return options[(this.choices.shift() ?? 0) % options.length]!;
  }

  async open(): Promise<void> {
    const system = this.pick(Object.keys(SYSTEMS) as System[]);
    const action = this.pick(['login', 'login', 'first-login', 'link']);
    const level = this.pick(['', '', 'Substantial', 'High']);
    const params: Record<string, string> = { action, ...(level ? { acr_values: `${LOA}${level}` } : {}) };
    const tab: Tab = { system, params, login: await rpAuthorizeUrl(h, params, rps[system]), page: undefined as unknown as Page, history: [] };
    if (action === 'first-login') {
      tab.invited = await h.portvagt.accounts.create({ tenant: SYSTEMS[system].tenant, username: `first-${Math.random().toString(36).slice(2, 10)}`, displayName: 'First' });
      passwords.set(tab.invited.id, (await h.portvagt.invitations.issue(tab.invited.id)).password);
    }
    this.tabs.push(tab);
    await this.go(tab, this.browser.get(tab.login.url, { until: toRp }));
  }

  async go(tab: Tab, next: Promise<Page>): Promise<void> {
    tab.page = await next;
    if (tab.page.url.startsWith(RP_REDIRECT)) {
      if (new URL(tab.page.url).searchParams.has('code')) this.issued.push({ tab, url: tab.page.url });
    } else if (!tab.page.stopped) tab.history.push(tab.page.url);
  }

  /**
   * What the user may do on a tab's page: every form button and flow link, back, reload. Going on
   * (a method, an identity, a form sent) is picked more often than the rest, so that walks get somewhere.
   */
  actions(tab: Tab): Action[] {
    const { page } = tab;
    if (page.url.startsWith(RP_REDIRECT)) return [];
    const onward: Action[] = [];
    const aside: Action[] = [];
    for (const form of readForms(page.body, page.url)) {
      const buttons = form.buttons.length ? form.buttons : [undefined];
      const goesOn = !/\/(abort|fail)$/.test(form.action);
      for (const button of buttons) {
        (goesOn ? onward : aside).push(() => {
          if (button?.name === 'identity') tab.lastSubject = button.value;
          // This very form (a page may have two with one action, as the mock's "Afbryd" and "Fail").
          const data = { ...form.fields, ...this.fill(tab, form.action), ...(button?.name ? { [button.name]: button.value } : {}) };
          return this.go(tab, form.method === 'post' ? this.browser.post(form.action, data, { until: toRp }) : this.browser.get(`${form.action}?${new URLSearchParams(data)}`, { until: toRp }));
        });
      }
    }
    for (const link of readLinks(page.body, page.url).filter((l) => l.href.includes('/interaction/') && !l.href.includes('#'))) aside.push(() => this.go(tab, this.browser.get(link.href, { until: toRp })));
    const back = tab.history.at(-2);
    if (back) aside.push(() => this.go(tab, this.browser.get(back, { until: toRp })));
    aside.push(() => this.go(tab, this.browser.get(page.url, { until: toRp })));
    return onward.length && this.pick([true, true, true, false]) ? onward : [...onward, ...aside];
  }

  /** The fields a user types into a form: right or wrong, as the walk decides. */
  fill(tab: Tab, action: string): Record<string, string> {
    if (action.endsWith('/first-login')) {
      const right = tab.invited && this.pick([true, true, false]);
      return right ? { username: tab.invited!.username, password: passwords.get(tab.invited!.id)! } : { username: 'nobody', password: 'wrong' };
    }
    if (action.endsWith('/cpr')) return { cpr: this.pick([...Object.values(PERSON_CPR), this.ownCpr(tab)].filter(Boolean) as string[]) };
    if (action.endsWith('/fail')) return { reason: this.pick(['cancel', 'access_denied', 'mitid_user_aborted']) };
    if (action.endsWith('/login')) return { session_age: '0' };
    return {};
  }

  /** The CPR of the person last logged in upstream on this tab, whom the user usually is. */
  ownCpr(tab: Tab): string | undefined {
    return tab.lastSubject ? PERSON_CPR[personOf(tab.lastSubject)] : undefined;
  }

  async step(): Promise<void> {
    const kind = this.pick(['act', 'act', 'act', 'act', 'act', 'act', 'act', 'act', 'act', 'time', 'tab']);
    if (kind === 'time') return void h.clock.advance(this.pick([0, 61_000, 301_000, 601_000]));
    if (kind === 'tab' || this.tabs.length === 0) return this.open();
    const tab = this.pick(this.tabs);
    const actions = this.actions(tab);
    if (actions.length === 0) return this.open();
    await this.pick(actions)();
  }
}

/** Every rule of the system's client and tenant, checked on a code that reached it. */
async function expectAllowed(tab: Tab, url: string): Promise<void> {
  const system = SYSTEMS[tab.system];
  const claims = (await rpExchange(h, tab.login, url, rps[tab.system])).claims()!;
  const account = (await h.portvagt.accounts.find(claims.sub))!;
  const method = (claims.amr as string[])[0]!;
  const link = (await h.portvagt.accounts.links(account.id)).find((l) => l.method === method)!;
  expect(account.status).toBe('active');
  expect(account.tenant).toBe(system.tenant);
  expect(system.methods).toContain(method);
  const requested = levelOfUri(tab.params.acr_values ?? '') ?? 'low';
  const required = strictest(system.minLevel, requested);
  const reached = levelOf(link.subject);
  expect(required === 'low' || (reached !== undefined && meets(reached, required)), `${reached} for ${required}`).toBe(true);
  if (system.cpr) expect(account.cpr_fingerprint).toBe(cprFingerprint(h.config.secrets, PERSON_CPR[personOf(link.subject)]!));
}

describe('random walks through the flows', () => {
  it('never hand a system a code that breaks one of its rules', async () => {
    let codes = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(1000), { minLength: 100, maxLength: 100 }), async (choices) => {
        const walk = new Walk(choices);
        for (let i = 0; i < 18; i++) await walk.step();
        for (const { tab, url } of walk.issued) await expectAllowed(tab, url);
        codes += walk.issued.length;
      }),
      { numRuns: 20 },
    );
    // The walks reach the systems, or they would prove nothing.
    expect(codes).toBeGreaterThan(0);
  }, 120_000);
});
