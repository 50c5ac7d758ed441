import { expect } from 'vitest';
import type { Walk } from './walk.ts';

/** The login methods in the order and wording users know. */
export const METHOD_ORDER = ['mitid', 'mitid-erhverv', 'nemid', 'nordigo-2fa'];

/** The demo system's buttons (the demo system itself is Danish only, like most such systems). */
export const DEMO_ACTIONS = { login: 'Log ind', firstLogin: 'Førstegangslogin', link: 'Tilknyt nyt login' } as const;

/** The second demo system (config/demo.yaml), of the same tenant as IMS. */
export const CASE_SYSTEM = { clientId: 'sagssystem', path: '/demo2', open: 'Åbn Sagssystemet' } as const;

/** Opens a demo system (IMS unless `path` names another) and presses one of its buttons, which sends the user to Portvagt. */
export async function startAtDemo(w: Walk, base: string, action: string, path = '/demo'): Promise<void> {
  await w.page.goto(`${base}${path}`);
  await w.check('demo');
  await w.click(action);
}

/** A Portvagt page in the walk's language whose title says where the user is, and for which system. */
export async function expectPortvagtPage(w: Walk, title: string, system: string): Promise<void> {
  // Which page it was instead, where it was not the one expected: its address and heading.
  const where = async () => `${w.page.url()}: ${(await w.page.locator('h1').first().textContent({ timeout: 1000 }).catch(() => null)) ?? '(no heading)'}`;
  expect(await w.page.locator('html').getAttribute('lang'), await where()).toBe(w.variant.lang);
  expect(await w.page.title()).toBe(`${title} – ${system}`);
  await expect.poll(() => w.page.locator('header').innerText()).toContain(system);
}

/** The chooser (or link page) with its method buttons in the expected order. */
export async function expectChooser(w: Walk, key: string, system: string): Promise<void> {
  await expectPortvagtPage(w, w.t(`${key}.title`), system);
  expect(await w.page.getByRole('heading', { level: 1 }).innerText()).toBe(w.t(`${key}.heading`, { system }));
  expect(await w.page.locator('[data-method]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-method')))).toEqual(METHOD_ORDER);
}

/** On a mock upstream's page: logs in as the named test identity. */
export async function loginAtMock(w: Walk, identity: string): Promise<void> {
  expect(w.page.url()).toContain('/mock/');
  await w.check('upstream');
  await w.click(identity);
}

/** On a mock upstream's page: makes it answer with one of its dialect's failure reasons. */
export async function failAtMock(w: Walk, reason: string): Promise<void> {
  expect(w.page.url()).toContain('/mock/');
  await w.page.getByLabel('Reason').selectOption(reason);
  await w.check('upstream');
  await w.click('Fail');
}

/** On a mock upstream's page: presses "Afbryd", as a user leaving MitID's own page does. */
export async function cancelAtMock(w: Walk): Promise<void> {
  expect(w.page.url()).toContain('/mock/');
  await w.check('upstream');
  await w.click('Afbryd');
}

/** On the first-time login page: types the username and one-time password and submits them. */
export async function submitFirstLogin(w: Walk, username: string, password: string): Promise<void> {
  await w.page.getByLabel(w.t('ui.firstLogin.username')).fill(username);
  await w.page.getByLabel(w.t('ui.firstLogin.password')).fill(password);
  await w.click(w.t('ui.firstLogin.submit'));
}

/** Back at a demo system (IMS unless `path` names another), logged in: the ID token's claims it shows. */
export async function demoClaims(w: Walk, path = '/demo'): Promise<Record<string, unknown>> {
  expect(new URL(w.page.url()).pathname).toBe(path);
  await w.check('logged-in');
  return JSON.parse(await w.page.locator('[data-claims]').innerText()) as Record<string, unknown>;
}

/** Portvagt's error page for a code: heading, upstream guidance, reference for support, help link, tabs note. */
export async function expectErrorPage(w: Walk, code: number, guidanceKey: string, system: string, method?: string): Promise<void> {
  const vars = { method: method ?? w.t('ui.errorPage.yourMethod') };
  const text = await expectCodePage(w, code, `codes.${code}`, system, vars);
  for (const key of [`guidance.${guidanceKey}`, 'ui.errorPage.note']) expect(text).toContain(w.t(key, vars));
  expect(await w.page.locator('.reference-id').innerText()).toMatch(/\S{6,}/);
  expect(await w.page.getByRole('link', { name: w.t('ui.errorPage.helpLink') }).getAttribute('href')).toMatch(new RegExp(`^/help/errors(\\?[^#]*)?#${code}$`));
  await w.check(`error-${code}`);
}

/** A page with one of Portvagt's codes: its own title as heading and in the window title, the code, its cause; returns main's text. */
export async function expectCodePage(w: Walk, code: number, textKey: string, system: string, vars: Record<string, string> = {}): Promise<string> {
  const title = w.t(`${textKey}.title`, vars);
  await expectPortvagtPage(w, w.t('ui.errorPage.documentTitle', { code, title }), system);
  const main = w.page.locator('main');
  expect(await main.getAttribute('data-error-code')).toBe(String(code));
  expect(await w.page.getByRole('heading', { level: 1 }).innerText()).toBe(title);
  const text = await main.innerText();
  expect(text).toContain(`${w.t('ui.errorPage.codeLabel')}: ${code}`);
  expect(text).toContain(w.t(`${textKey}.cause`, vars));
  return text;
}
