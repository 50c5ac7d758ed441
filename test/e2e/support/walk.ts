import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContextOptions, type LaunchOptions, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { translate } from '../../../src/i18n/i18n.ts';

export const SCREENSHOTS = join('test-results', 'screenshots');

/** How a user meets the pages: language of the browser and screen size. */
export interface Variant {
  name: string;
  lang: 'da' | 'en';
  /** Sent as Accept-Language, as a browser set to that language would. */
  browserLocale: string;
  viewport: { width: number; height: number };
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 812 };

/**
 * Every walk runs twice: in Danish on a desktop and in English on a 375 px phone, so each walk is seen
 * in both languages and at both sizes within the time budget. Danish at phone width, where its long
 * words make reflow hardest, is covered at 320 px by pages.test.ts.
 */
export const VARIANTS: readonly Variant[] = [
  { name: 'da-desktop', lang: 'da', browserLocale: 'da-DK', viewport: DESKTOP },
  { name: 'en-375', lang: 'en', browserLocale: 'en-GB', viewport: PHONE },
];

const CHROMIUM: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
};

/** One Chromium for a test file: launched before its tests, closed after them; the getter gives it to a walk. */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is used before beforeAll launched it');
    return browser;
  };
}

/** `options` on top of the project's Chromium settings, e.g. a proxy. */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ ...CHROMIUM, ...options });
}

/** The rules of the level Danish public-sector sites must meet. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

/**
 * One user's walk through the pages in one variant. `check` is called on every page the walk shows:
 * it fails on serious or critical axe-core violations, on sideways scrolling (WCAG 1.4.10 reflow) and on
 * anything the CSP blocked, and saves a full-page screenshot under test-results/screenshots/.
 */
export class Walk {
  readonly #blocked: string[] = [];
  #pageNumber = 0;

  readonly page: Page;
  readonly name: string;
  readonly variant: Variant;

  constructor(
    page: Page,
    name: string,
    variant: Variant,
  ) {
    this.page = page;
    this.name = name;
    this.variant = variant;
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) this.#blocked.push(message.text());
    });
  }

  /** The text of a locale key in this walk's language. */
  t(key: string, vars?: Record<string, string | number>): string {
    return translate(this.variant.lang, key, vars);
  }

  async check(label: string): Promise<void> {
    await this.page.waitForLoadState('load');
    const where = `${this.name}/${this.variant.name}/${label} (${this.page.url()})`;
    // The screenshot comes first, so a failing page can be looked at too.
    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = `${this.name}-${this.variant.name}-${String(++this.#pageNumber).padStart(2, '0')}-${label}.png`;
    await this.page.screenshot({ path: join(SCREENSHOTS, file), fullPage: true });
    const { violations } = await new AxeBuilder({ page: this.page }).withTags(WCAG_21_AA).analyze();
    const blocking = violations
      .filter((v) => BLOCKING_IMPACTS.has(v.impact ?? ''))
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('; ')}`);
    expect(blocking, `axe on ${where}`).toEqual([]);
    const overflow = await this.page.locator('html').evaluate((html) => html.scrollWidth - html.clientWidth);
    expect(overflow, `sideways scrolling on ${where}`).toBeLessThanOrEqual(0);
    expect(this.#blocked, `blocked by CSP on ${where}`).toEqual([]);
  }

  /** Saves a screenshot of one part of a long page (the help page), to look at what a full-page one shrinks away. */
  async snapPart(label: string, part: Locator): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await part.screenshot({ path: join(SCREENSHOTS, `${this.name}-${this.variant.name}-${String(this.#pageNumber).padStart(2, '0')}-${label}.png`) });
  }

  /** Clicks a button or link by its accessible name and waits for the page it leads to. */
  async click(name: string, role: 'button' | 'link' = 'button'): Promise<void> {
    await this.page.getByRole(role, { name, exact: true }).click();
    await this.page.waitForLoadState('load');
  }
}

/** Runs `steps` in a fresh browser context (own cookies) of the variant, and closes it afterwards; `options` add to the context's. */
export async function walk(browser: Browser, name: string, variant: Variant, steps: (walk: Walk) => Promise<void>, options: BrowserContextOptions = {}): Promise<void> {
  const context = await browser.newContext({ viewport: variant.viewport, locale: variant.browserLocale, ...options });
  try {
    await steps(new Walk(await context.newPage(), name, variant));
  } finally {
    await context.close();
  }
}

/**
 * Runs `steps` in a Chromium of its own whose profile blocks every cookie, as a user's strict privacy
 * setting does (chrome://settings/cookies), and removes the profile afterwards.
 */
export async function walkRefusingCookies(name: string, variant: Variant, steps: (walk: Walk) => Promise<void>): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'portvagt-e2e-profile-'));
  mkdirSync(join(profile, 'Default'));
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }));
  const context = await chromium.launchPersistentContext(profile, { ...CHROMIUM, viewport: variant.viewport, locale: variant.browserLocale });
  try {
    await steps(new Walk(context.pages()[0] ?? (await context.newPage()), name, variant));
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
