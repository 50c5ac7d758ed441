import express, { type Router } from 'express';
import { actionOfferRoutes } from './action-offers.ts';
import { cprMatchRoutes } from './cpr-match.ts';
import type { FlowDeps } from './flow-context.ts';
import { flowKit } from './flow-kit.ts';
import { firstLoginRoutes, onFirstLoginIdentity } from './first-login.ts';
import { interactionRoutes } from './interaction-routes.ts';
import { linkRoutes, onLinkIdentity } from './link.ts';
import { onLoginIdentity } from './login.ts';

/** Every flow route: the shared chooser and callback, and each action's own steps. */
export function flowRoutes(deps: FlowDeps): Router {
  const kit = flowKit(deps);
  const router = express.Router();
  router.use(
    interactionRoutes(deps, kit, {
      login: onLoginIdentity(deps),
      'first-login': onFirstLoginIdentity(deps),
      link: onLinkIdentity(deps),
    }),
  );
  router.use(firstLoginRoutes(deps, kit));
  router.use(actionOfferRoutes(deps, kit));
  router.use(linkRoutes(deps, kit));
  router.use(cprMatchRoutes(deps, kit));
  return router;
}
