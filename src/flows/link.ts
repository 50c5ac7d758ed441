import express, { type Request, type Response, type Router } from 'express';
import type { Account } from '../accounts/accounts.ts';
import { assertMethodUnlinked, findLinkedAccount, linkMethod } from '../accounts/identity-operations.ts';
import { BrokerError } from '../errors/broker-error.ts';
import type { UpstreamIdentity } from '../upstream/connector.ts';
import type { FlowDeps } from './flow-context.ts';
import { flowRoute, flowUrl } from '../http/flow-url.ts';
import type { FlowKit, StepResult } from './flow-kit.ts';
import type { Flow, StoredIdentity, Verification } from './flow-state.ts';
import { storableIdentity } from './login.ts';
import { passGate, releaseLogin, verificationValidUntil } from './release.ts';
import { carried } from './steps.ts';
import { inStep } from './transitions.ts';

/**
 * A verification login proves the account for linking, and is the login "Afslut tilknytning" will
 * release: the release rules are asked now, so a login they refuse links nothing (the CPR form first,
 * where they need the typed number), and asked again at the finish.
 */
export function verifyForLink(deps: FlowDeps, res: Response, flow: Flow, account: Account, identity: StoredIdentity, at: number): StepResult {
  const verified: Verification = { accountId: account.id, at, identity };
  const gate = passGate(deps, res, flow, account, identity, { verification: verified, cprCarry: { verifiedAt: at } });
  if (gate.kind === 'answered') return gate.result;
  return { next: { step: 'link-page', verified }, respond: () => res.redirect(303, flowUrl(flow.uid, 'link')) };
}

/**
 * Linking a new login method (Tilknyt nyt login): the first upstream login in the flow proves the
 * account; each later one, while that proof is fresh, adds a method. Nothing is ever merged.
 */
export function onLinkIdentity(deps: FlowDeps) {
  return async (_req: Request, res: Response, loaded: Flow, identity: UpstreamIdentity): Promise<StepResult> => {
    const flow = inStep(loaded, 'upstream');
    if (!flow.verified) return verifyForLink(deps, res, flow, await findLinkedAccount(deps.accounts, identity), storableIdentity(deps, identity), deps.clock());
    assertFreshVerification(deps, flow.verified);
    await linkMethod(deps.accounts, flow.verified.accountId, identity);
    return {
      next: { step: 'link-page', verified: flow.verified, justLinked: identity.method },
      outcome: { kind: 'method-linked', method: identity.method, accountId: flow.verified.accountId },
      respond: () => res.redirect(303, flowUrl(flow.uid, 'link')),
    };
  };
}

/** Adding a method needs the verification login of this same flow, no older than the configured limit. */
function assertFreshVerification(deps: FlowDeps, verified: Verification): void {
  if (verificationValidUntil(deps, verified) < deps.clock()) {
    throw new BrokerError(4100, { detail: 'verification login too old for linking' });
  }
}

/** The verification a link flow holds at this step; without one the link session is over. */
function verificationOf(flow: Flow): Verification {
  const verified = carried(flow, 'verification');
  if (flow.action !== 'link' || !verified) throw new BrokerError(4100, { detail: 'link page without a verified account' });
  return verified;
}

export function linkRoutes(deps: FlowDeps, kit: FlowKit): Router {
  const router = express.Router();

  router.get(
    flowRoute('link'),
    // Back from an upstream or "try again" after a refused link: the link page is the place to be while it lasts.
    kit.route('link', 'show-link-page', async (req, res, flow) => {
      const verified = verificationOf(flow);
      // A link page that could not be used is no page: past its verification, the link flow is over.
      assertFreshVerification(deps, verified);
      const linked = new Set((await deps.accounts.links(verified.accountId)).map((l) => l.method));
      return {
        next: flow.step === 'link-page' ? undefined : { step: 'link-page', verified },
        respond: (shown) => {
          const justLinked = shown.step === 'link-page' ? shown.justLinked : undefined;
          kit.renderMethods(req, res, shown, 'ui.link', flowUrl(shown.uid, 'link/method'), {
            linked,
            finish: flowUrl(shown.uid, 'link/finish'),
            notice: justLinked ? { key: 'ui.link.linkedNotice', method: justLinked } : undefined,
          });
        },
      };
    }),
  );

  router.post(
    flowRoute('link/method'),
    kit.form,
    kit.route('link', 'link-method', async (req, res, flow) => {
      const verified = verificationOf(flow);
      assertFreshVerification(deps, verified);
      const method = kit.chosenMethod(req, flow);
      await assertMethodUnlinked(deps.accounts, verified.accountId, method);
      return kit.goUpstream(res, flow, method, verified);
    }),
  );

  router.post(
    flowRoute('link/finish'),
    kit.form,
    kit.route('link', 'finish-link', async (req, res, flow) => {
      const verified = verificationOf(flow);
      const account = await deps.accounts.find(verified.accountId);
      if (!account) throw new BrokerError(6001, { detail: 'the verified account is gone' });
      return releaseLogin(deps, res, flow, account, verified.identity, { verification: verified, cprCarry: { verifiedAt: verified.at } });
    }),
  );

  return router;
}
