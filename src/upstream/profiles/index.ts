/**
 * The broker profiles, one file per broker, and how an upstream's configuration overrides them per
 * key (`claims.<field>`, `scope`, `dialect`, `acr_values`, `level_claims`, `level_values`,
 * `language_parameter`).
 */
import type { NsisLevel } from '../../assurance.ts';
import type { DialectName } from '../dialects/index.ts';
import { genericOidc } from './generic-oidc.ts';
import { idura } from './idura.ts';
import { ingroupe } from './ingroupe.ts';
import type { BrokerProfile, ClaimNames, IdentityClaim } from './profile.ts';
import { signaturgruppen } from './signaturgruppen.ts';
import { signicat } from './signicat.ts';

export const PROFILES = {
  signaturgruppen,
  idura,
  signicat,
  ingroupe,
  'generic-oidc': genericOidc,
} as const satisfies Record<string, BrokerProfile>;

export type ProfileName = keyof typeof PROFILES;

export const PROFILE_NAMES = Object.keys(PROFILES) as [ProfileName, ...ProfileName[]];

/** The part of an upstream's configuration that shapes its profile. */
export interface ProfileOverrides {
  profile: ProfileName;
  dialect?: DialectName | undefined;
  scope?: string | undefined;
  claims?: Partial<Record<IdentityClaim, string | string[]>> | undefined;
  acr_values?: string | undefined;
  level_claims?: string[] | undefined;
  level_values?: Record<string, NsisLevel> | undefined;
  language_parameter?: string | undefined;
}

const list = (names: string | string[]): readonly string[] => (typeof names === 'string' ? [names] : names);

/** The profile an upstream names, with every key its configuration overrides. */
export function resolveProfile(upstream: ProfileOverrides): BrokerProfile {
  const base: BrokerProfile = PROFILES[upstream.profile];
  const claims: ClaimNames = {
    ...base.claims,
    ...Object.fromEntries(Object.entries(upstream.claims ?? {}).map(([field, names]) => [field, list(names)])),
  };
  const fixed = upstream.acr_values;
  return {
    ...base,
    dialect: upstream.dialect ?? base.dialect,
    scope: upstream.scope ?? base.scope,
    claims,
    level: {
      request: fixed === undefined ? base.level.request : { parameter: 'acr_values', values: { low: fixed, substantial: fixed, high: fixed } },
      claims: upstream.level_claims ?? base.level.claims,
      values: { ...base.level.values, ...upstream.level_values },
    },
    languageParameter: upstream.language_parameter ?? base.languageParameter,
  };
}
