import { describe, expect, it } from 'vitest';
import { setNotice } from '../../src/ops/upstream-notices.ts';
import { Browser, type Page } from '../helpers/browser.ts';
import { chooseMethod, errorCode, openAuthorize, rpAuthorizeUrl, upstreamFail, useHarness } from '../helpers/harness.ts';

// Three answers in the window are enough to judge, so the test needs only a few failed logins.
const h = useHarness({ configure: (raw) => void (raw.degraded = { min_answers: 3, failure_share: 0.5, window_seconds: 300 }) });

async function chooser(params: Record<string, string> = {}, browser = new Browser()): Promise<Page> {
  return openAuthorize(browser, await rpAuthorizeUrl(h, params));
}

async function failAt(method: string, reason: string): Promise<number | undefined> {
  const browser = new Browser();
  const mock = await chooseMethod(browser, await chooser({}, browser), method);
  return errorCode(await upstreamFail(browser, mock, reason));
}

const noticeOf = (page: Page, method: string) => new RegExp(`data-notice="${method}">([^<]*)<`).exec(page.body)?.[1];
const metric = async (line: string) => (await (await fetch(`${h.base}/metrics`)).text()).split('\n').find((l) => l.startsWith(line));

describe('the degraded-upstream notice', () => {
  it('marks a method whose recent answers are mostly technical failures, keeps it clickable and suggests the others', async () => {
    for (let i = 0; i < 3; i++) expect(await failAt('mitid', 'generalerror')).toBe(5501);
    await h.portvagt.health.refresh();

    const page = await chooser();
    expect(noticeOf(page, 'mitid')).toBe('MitID har driftsforstyrrelser lige nu. Du kan også logge ind med MitID Erhverv, NemID eller Nordigo 2FA.');
    for (const other of ['mitid-erhverv', 'nemid', 'nordigo-2fa']) expect(noticeOf(page, other)).toBeUndefined();
    expect(page.body).toMatch(/<button[^>]*value="mitid"[^>]*aria-describedby="notice-mitid"/);
    expect(page.body).not.toMatch(/<button[^>]*value="mitid"[^>]*disabled/);
    const english = await chooser({ ui_locales: 'en' });
    expect(noticeOf(english, 'mitid')).toBe('MitID is having technical problems right now. You can also log in with MitID Erhverv, NemID, or Nordigo 2FA.');

    // Still clickable: the user may try MitID and reach it.
    const browser = new Browser();
    const mock = await chooseMethod(browser, await chooser({}, browser), 'mitid');
    expect(mock.url).toContain(h.issuerOf('mitid'));

    expect(h.logLines.some((l) => l.includes('"event":"upstream.state"') && l.includes('"upstream":"mitid"') && l.includes('"state":"degraded"'))).toBe(true);
    expect(await metric('portvagt_upstream_degraded{upstream="mitid"}')).toBe('portvagt_upstream_degraded{upstream="mitid"} 1');
    expect(await metric('portvagt_upstream_state_changes_total{upstream="mitid",state="degraded"}')).toMatch(/ 1$/);
    expect(await metric('portvagt_upstream_answers_total{upstream="mitid",answer="technical"}')).toMatch(/ 3$/);

    // Once the failures have left the window, the notice clears by itself, with a log line and a metric.
    await h.portvagt.health.refresh(Date.now() + 301_000);
    expect(noticeOf(await chooser(), 'mitid')).toBeUndefined();
    expect(h.logLines.some((l) => l.includes('"upstream":"mitid"') && l.includes('"state":"recovered"'))).toBe(true);
    expect(await metric('portvagt_upstream_degraded{upstream="mitid"}')).toBe('portvagt_upstream_degraded{upstream="mitid"} 0');
  });

  it("does not mark a method for its users' own failures (wrong code, cancel, blocked identity)", async () => {
    for (const reason of ['authfailed', 'idexpired', 'illegalcert']) await failAt('mitid-erhverv', reason);
    await h.portvagt.health.refresh();
    expect(noticeOf(await chooser(), 'mitid-erhverv')).toBeUndefined();
    expect(await metric('portvagt_upstream_answers_total{upstream="mitid-erhverv",answer="answered"}')).toMatch(/ 3$/);
  });

  it('counts a reason the dialect does not know as an integration fault: an error log line and a metric', async () => {
    expect(await failAt('mitid-erhverv', 'brand_new_broker_label')).toBe(5501);
    expect(h.logLines.some((l) => l.includes('"level":50') && l.includes('"event":"upstream.integration_fault"') && l.includes('"fault":"unknown_reason"'))).toBe(true);
    expect(await metric('portvagt_integration_faults_total{upstream="mitid-erhverv",fault="unknown_reason"}')).toMatch(/ 1$/);
  });

  it("shows an operator's notice in Danish and English until it is cleared or expires", async () => {
    // After the first test's MitID failures have left the window.
    const setAt = Date.now() + 301_000;
    await setNotice(h.portvagt.store, 'nemid', { text: 'NemID lukker i dag kl. 12–13 for vedligehold.', textEn: 'NemID is closed today 12–13 for maintenance.', setAt, until: setAt + 3_600_000 });
    await h.portvagt.health.refresh(setAt);
    expect(noticeOf(await chooser(), 'nemid')).toBe('NemID lukker i dag kl. 12–13 for vedligehold. Du kan også logge ind med MitID, MitID Erhverv eller Nordigo 2FA.');
    expect(noticeOf(await chooser({ ui_locales: 'en' }), 'nemid')).toBe('NemID is closed today 12–13 for maintenance. You can also log in with MitID, MitID Erhverv, or Nordigo 2FA.');
    expect(await metric('portvagt_upstream_notice{upstream="nemid"}')).toMatch(/ 1$/);
    await h.portvagt.health.refresh(setAt + 3_600_001);
    expect(noticeOf(await chooser(), 'nemid')).toBeUndefined();
  });

  it('exports readiness as metrics for the alert rules', async () => {
    expect(await metric('portvagt_ready ')).toBe('portvagt_ready 1');
    expect(await metric('portvagt_readiness_check{check="upstream:nemid"}')).toBe('portvagt_readiness_check{check="upstream:nemid"} 1');
  });
});
