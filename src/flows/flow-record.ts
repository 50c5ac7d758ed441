import { z } from 'zod';
import { ACTIONS } from '../actions.ts';
import { NSIS_LEVELS } from '../assurance.ts';
import { isErrorCode, type ErrorCode } from '../errors/catalogue.ts';
import type { Flow } from './flow-state.ts';

/**
 * A flow as the store holds it, checked field by field against its step's shape (flow-state.ts) before
 * any code reads it: a record written by another version, or altered, is refused as a whole.
 */

const text = z.string();
const optionalText = text.optional();
const level = z.enum(NSIS_LEVELS);

const identity = z.object({
  method: text,
  issuer: text,
  subject: text,
  authTime: z.number(),
  level: level.optional(),
  amr: z.array(text).optional(),
  name: optionalText,
  givenName: optionalText,
  familyName: optionalText,
  email: optionalText,
  cvr: optionalText,
  uuid: optionalText,
  rid: optionalText,
  professionalId: optionalText,
  birthdate: optionalText,
  cprFingerprint: optionalText,
  cprConfirmation: z.object({ fingerprint: text, stored: text.nullable() }).optional(),
});

const verification = z.object({ accountId: text, at: z.number(), identity });

const base = {
  uid: text,
  clientId: text,
  tenant: text,
  action: z.enum(ACTIONS),
  uiLocales: optionalText,
  loginHint: optionalText,
  browser: text,
  requested: z.object({ level: level.optional(), essentialAcr: z.array(level).optional(), maxAge: z.number().optional(), freshLogin: z.boolean(), at: z.number() }),
  stepExpiresAt: z.number(),
};

const FLOW: z.ZodType<Flow> = z.discriminatedUnion('step', [
  z.object({ ...base, step: z.literal('choose'), cancelled: optionalText, stepUp: z.object({ required: level, reached: level.optional() }).optional() }),
  z.object({ ...base, step: z.literal('upstream'), method: text, login: z.object({ state: text, nonce: text, codeVerifier: text }), verified: verification.optional() }),
  z.object({ ...base, step: z.literal('first-login-form'), identity }),
  z.object({ ...base, step: z.literal('link-page'), verified: verification, justLinked: optionalText }),
  z.object({ ...base, step: z.literal('cpr'), accountId: text, identity, attempts: z.number().int().nonnegative(), invitationId: optionalText, verifiedAt: z.number().optional() }),
  z.object({ ...base, step: z.literal('done') }),
  z.object({ ...base, step: z.literal('failed'), code: z.custom<ErrorCode>(isErrorCode), verified: verification.optional(), unlinked: z.object({ identity, until: z.number() }).optional() }),
]);

/** What can be read of a record this version refuses: enough to brand its page and lead back to the system. */
export interface FlowRecordProblem {
  detail: string;
  origin: { clientId?: string | undefined; tenant?: string | undefined; uiLocales?: string | undefined };
}

const ORIGIN = z.object({ clientId: optionalText, tenant: optionalText, uiLocales: optionalText }).catch({});

export function parseFlowRecord(record: unknown, version: number): { flow: Flow } | FlowRecordProblem {
  const origin = ORIGIN.parse(record);
  const found = (record as { version?: unknown } | null)?.version;
  if (found !== version) return { detail: `version ${String(found ?? 'none')}, this instance reads ${version}`, origin };
  const parsed = FLOW.safeParse(record);
  if (parsed.success) return { flow: parsed.data };
  const issue = parsed.error.issues[0];
  return { detail: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, origin };
}
