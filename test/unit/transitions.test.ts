import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { Flow, FlowStep, Step } from '../../src/flows/flow-state.ts';
import { applyEvent, assertEventAllowed, EVENTS, failedStep, startStep, type FlowEvent } from '../../src/flows/transitions.ts';
import { BrokerError } from '../../src/errors/broker-error.ts';
import { isUserCancel } from '../../src/flows/upstream-cancel.ts';
import { translateErrorResponse } from '../../src/upstream/dialects/index.ts';
import { DIALECTS } from '../../src/upstream/dialects/index.ts';

const timeouts = parseConfig({
  secrets: { cookie_keys: ['k'.repeat(32)], cpr_hmac_key: 'c'.repeat(32) },
  tenants: [{ id: 'acme', name: 'Acme' }],
  clients: [{ client_id: 'rp', client_secret: 's'.repeat(16), redirect_uris: ['https://rp.example/cb'], display_name: 'RP', tenants: ['acme'], login_methods: ['mitid'] }],
  upstreams: [{ id: 'mitid', display_name: 'MitID', dialect: 'mitid', issuer: 'https://mitid.example', client_id: 'p', client_secret: 'x' }],
}).timeouts;

const T0 = Date.UTC(2026, 11, 2, 1, 43);
const base = { uid: 'u1', clientId: 'rp', tenant: 'acme', action: 'link' as const, browser: 'b1', uiLocales: undefined, requested: { freshLogin: false, at: T0 } };
const identity = { method: 'mitid', issuer: 'i', subject: 's', authTime: T0 };
const verified = { accountId: 'a1', at: T0, identity };
const login = { state: 'u1.r.m', nonce: 'n', codeVerifier: 'v' };

/** One flow in every step, each with exactly its own fields. */
const AT: Record<Step, Flow> = {
  choose: startStep(base, { step: 'choose' }, T0, timeouts),
  upstream: startStep(base, { step: 'upstream', method: 'mitid', login, verified }, T0, timeouts),
  'first-login-form': startStep(base, { step: 'first-login-form', identity }, T0, timeouts),
  'link-page': startStep(base, { step: 'link-page', verified }, T0, timeouts),
  cpr: startStep(base, { step: 'cpr', accountId: 'a1', identity, attempts: 0 }, T0, timeouts),
  done: startStep(base, { step: 'done' }, T0, timeouts),
  failed: startStep(base, { step: 'failed', code: 6002, verified }, T0, timeouts),
};

const codeOf = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return (error as BrokerError).code;
  }
  return undefined;
};

describe('the transition table', () => {
  it('lets each event happen only in its steps; elsewhere it is refused with its code', () => {
    for (const [event, rule] of Object.entries(EVENTS) as [FlowEvent, (typeof EVENTS)[FlowEvent]][]) {
      for (const [step, flow] of Object.entries(AT) as [Step, Flow][]) {
        const allowed = (rule.from as readonly Step[]).includes(step);
        expect(codeOf(() => assertEventAllowed(flow, event, T0)), `${event} at ${step}`).toBe(allowed ? undefined : ('late' in rule ? rule.late : 3002));
      }
    }
  });

  it('nothing leaves a finished flow: back and reload show "already finished", never a new step', () => {
    for (const rule of Object.values(EVENTS)) expect(rule.from).not.toContain('done');
  });

  it("gives a step's own code once its time has run out, and none where no deadline applies", () => {
    const late = T0 + timeouts.first_login * 1000 + 1;
    expect(codeOf(() => assertEventAllowed(AT['first-login-form'], 'submit-first-login', late))).toBe(6000);
    expect(codeOf(() => assertEventAllowed(AT.cpr, 'submit-cpr', T0 + timeouts.cpr * 1000 + 1))).toBe(4000);
    expect(codeOf(() => assertEventAllowed(AT.cpr, 'show-cpr', T0 + timeouts.cpr * 1000 + 1))).toBe(4001);
    expect(codeOf(() => assertEventAllowed(AT.choose, 'choose-method', T0 + timeouts.chooser * 1000 + 1))).toBe(3001);
    // "Annullér" and "try again" work however long the user waited.
    expect(codeOf(() => assertEventAllowed(AT.choose, 'abort', T0 + 86_400_000))).toBeUndefined();
    expect(codeOf(() => assertEventAllowed(AT.failed, 'show-chooser', T0 + 86_400_000))).toBeUndefined();
  });

  it('applies an event as a new flow with the next step, its fields only and a fresh deadline, leaving the loaded one as it was', () => {
    const loaded = AT.choose;
    const copy = structuredClone(loaded);
    const next = applyEvent(loaded, 'choose-method', { step: 'upstream', method: 'mitid', login }, T0 + 5000, timeouts);
    expect(loaded).toEqual(copy);
    expect(next).toEqual({ ...base, step: 'upstream', method: 'mitid', login, verified: undefined, stepExpiresAt: T0 + 5000 + timeouts.upstream * 1000 });
  });

  it('refuses a transition the table does not have', () => {
    const skip: FlowStep = { step: 'done' };
    expect(codeOf(() => applyEvent(AT.choose, 'choose-method', skip, T0, timeouts))).toBe(500);
    expect(codeOf(() => applyEvent(AT.done, 'fail', { step: 'failed', code: 3001 }, T0, timeouts))).toBe(500);
  });

  it('a failure keeps only its code, and a link flow its verification', () => {
    expect(failedStep(AT.cpr, 4001)).toEqual({ step: 'failed', code: 4001, verified: undefined });
    expect(failedStep(AT['link-page'], 6002)).toEqual({ step: 'failed', code: 6002, verified });
  });
});

describe("a user's cancel at the upstream", () => {
  /** The parameter each dialect reads its reason from, so a row can be answered as an upstream would. */
  const REASON_PARAM: Record<string, string> = { mitid: 'error', nemid: 'nemid_error', onespan: 'onespan_status', hid: 'hid_error', oidc: 'error' };
  const answer = (dialect: keyof typeof DIALECTS, query: Record<string, string>) => translateErrorResponse(DIALECTS[dialect], new URLSearchParams(query), 'x', { warn: () => undefined });

  it('is every dialect row marked cancel as its dialect reads it, and a plain access_denied from an OAuth-only upstream; nothing else', () => {
    const cancels = Object.entries(DIALECTS).flatMap(([dialect, d]) => Object.entries(d.rows).filter(([, row]) => row.cancel).map(([reason]) => [dialect, reason] as [keyof typeof DIALECTS, string]));
    expect(cancels.map(([dialect, reason]) => `${dialect}:${reason}`)).toEqual(expect.arrayContaining(['mitid:cancel', 'mitid:mitid_user_aborted', 'nemid:CAN002', 'nemid:CAN007', 'onespan:1127']));
    // Rows whose key is no value an upstream sends as is (e.g. a label read off a description) are left out.
    const answered = cancels.map(([dialect, reason]) => ({ entry: `${dialect}:${reason}`, error: answer(dialect, { [REASON_PARAM[dialect]!]: reason }) })).filter(({ entry, error }) => error.upstream?.row === entry.split(':')[1]);
    expect(answered.map((a) => a.entry)).toEqual(expect.arrayContaining(['mitid:cancel', 'mitid:mitid_user_aborted', 'nemid:CAN002', 'nemid:CAN007', 'onespan:1127']));
    for (const { entry, error } of answered) expect(isUserCancel(error), entry).toBe(true);
    expect(isUserCancel(answer('oidc', { error: 'access_denied' }))).toBe(true);
    expect(isUserCancel(answer('mitid', { error: 'access_denied' }))).toBe(false);
    expect(isUserCancel(answer('nemid', { nemid_error: 'LOCK001' }))).toBe(false);
    expect(isUserCancel(new BrokerError(6001))).toBe(false);
  });

  it('an error_aliases entry naming a cancel row is a cancel too', () => {
    const aliased = translateErrorResponse(DIALECTS.nemid, new URLSearchParams({ nemid_error: 'SOMETHING99' }), 'x', { warn: () => undefined }, new Map([['SOMETHING99', 'CAN002']]));
    expect(isUserCancel(aliased)).toBe(true);
  });
});
