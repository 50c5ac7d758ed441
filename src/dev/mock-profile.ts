/**
 * A mock identity in a broker's words: its claims under the profile's names, its level in the
 * profile's spelling and claims, its authenticators. The mock identities themselves are neutral
 * (plain names, the level as an NSIS URI in `acr`).
 */
import { genericOidc } from '../upstream/profiles/generic-oidc.ts';
import type { BrokerProfile, IdentityClaim } from '../upstream/profiles/profile.ts';
import { levelOf, levelSpelling } from '../upstream/profiles/read.ts';
import type { MockIdentity } from './mock-identities.ts';

export interface ShapedIdentity {
  /** Goes into the login result, so into the ID token's `acr`. */
  acr: string | undefined;
  amr: string[] | undefined;
  /** Every other claim of the ID token. */
  claims: Record<string, string>;
}

/** The identity field each neutral mock claim stands for; other claims pass as they are. */
const FIELDS: Readonly<Record<string, IdentityClaim>> = {
  cpr: 'cpr',
  cvr: 'cvr',
  name: 'name',
  given_name: 'given_name',
  family_name: 'family_name',
  email: 'email',
  rid: 'rid',
  professional_uuid: 'professional_id',
};

export function shapeIdentity(profile: BrokerProfile, identity: MockIdentity): ShapedIdentity {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(identity.claims)) {
    const field = FIELDS[name];
    if (!field) claims[name] = value;
    // A field the broker has no claim for is not sent (Signicat has no CVR).
    else if (profile.claims[field]?.[0]) claims[profile.claims[field][0]] = value;
  }
  const uuid = profile.claims.uuid?.[0];
  if (uuid) claims[uuid] = identity.sub;
  const level = levelOf(genericOidc, { acr: identity.acr });
  let acr = level ? undefined : identity.acr;
  const spelled = level && levelSpelling(profile, level);
  for (const name of spelled ? profile.level.claims : []) {
    if (name === 'acr') acr = spelled;
    else claims[name] = spelled!;
  }
  return { acr, amr: identity.amr ? [...identity.amr] : undefined, claims };
}
