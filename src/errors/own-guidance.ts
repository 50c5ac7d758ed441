import type { Advice } from './advice.ts';

/**
 * What the page advises for failures Portvagt finds itself rather than an upstream reports; the
 * dialect rows carry the upstreams' own. Guidance keys are under `guidance.` in the locale files.
 */
export const OWN_ADVICE = {
  /**
   * A login below the required NSIS level, per required level (`low` is never refused). Logging in
   * again with a stronger authenticator helps, so "Prøv igen" is offered.
   */
  levelTooLow: {
    substantial: { guidance: 'assurance.substantial', retry: true, help: 'mitid' },
    high: { guidance: 'assurance.high', retry: true, help: 'mitid' },
  },
  /** A CPR match without a CPR from the upstream or a stored fingerprint: only the service can fix it. */
  cprMissing: { guidance: 'claims.cprMissing', retry: false, integration: true },
  /**
   * A flow's address reached without the flow's browser (another browser, cookies refused, a link that
   * leads nowhere): retrying there fails the same way, so the page offers the system and its support.
   */
  elsewhere: { retry: false, contact: 'service' },
  /**
   * An identity linked to no account (6001): the same login fails again, so no "Prøv igen"; the
   * system's support is who invites a user who has no first-time login e-mail.
   */
  unlinked: { retry: false, contact: 'service', help: 'first-login' },
  /**
   * A first-time login whose invitation has expired or is locked after its wrong tries, told to the
   * one who typed its right password: only whoever manages the account can issue a new one.
   */
  invitationDeadEnd: { retry: false, contact: 'tenant', help: 'first-login' },
} as const satisfies { levelTooLow: Record<'substantial' | 'high', Advice>; cprMissing: Advice; elsewhere: Advice; unlinked: Advice; invitationDeadEnd: Advice };

export const OWN_GUIDANCE_KEYS: readonly string[] = [...Object.values(OWN_ADVICE.levelTooLow), OWN_ADVICE.cprMissing].map((advice) => advice.guidance);
