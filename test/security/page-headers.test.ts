import { describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { openAuthorize, rpAuthorizeUrl, useHarness } from '../helpers/harness.ts';

// A brand colour puts an inline style (with the nonce) on every page of the flow.
const h = useHarness({ configure: (raw) => void ((raw.clients as { primary_color?: string }[])[0]!.primary_color = '#7a1f5c') });

const nonceOf = (policy: string | null) => /script-src 'self' 'nonce-([^']+)'/.exec(policy ?? '')?.[1];

describe('the content security policy of the pages', () => {
  it('allows a rendered page only its own nonce, a fresh one each time, and frames nowhere', async () => {
    const browser = new Browser();
    const chooser = await openAuthorize(browser, await rpAuthorizeUrl(h));
    const policy = chooser.headers.get('content-security-policy');
    const nonce = nonceOf(policy);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(policy).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(chooser.body).toContain(`<style nonce="${nonce}">`);
    const again = await browser.get(chooser.url);
    expect(nonceOf(again.headers.get('content-security-policy'))).not.toBe(nonce);
  });

  it('sends the policy without a nonce on a redirect, which has no inline code to allow', async () => {
    const login = await rpAuthorizeUrl(h);
    const redirect = await new Browser().get(login.url);
    expect(redirect.status).toBe(303);
    const policy = redirect.headers.get('content-security-policy');
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toContain('nonce-');
  });
});
