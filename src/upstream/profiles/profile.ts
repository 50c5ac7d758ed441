import type { NsisLevel } from '../../assurance.ts';
import type { DialectName } from '../dialects/index.ts';

/** The identity fields a broker profile names claims for. */
export const IDENTITY_CLAIMS = ['cpr', 'cvr', 'uuid', 'name', 'given_name', 'family_name', 'birthdate', 'email', 'rid', 'professional_id'] as const;

export type IdentityClaim = (typeof IDENTITY_CLAIMS)[number];

/**
 * Where a field is read from: claim names tried in order. A name is one key of the ID token, dots
 * included (Signaturgruppen's `dk.cpr` is a key, not a path into an object).
 */
export type ClaimNames = Readonly<Partial<Record<IdentityClaim, readonly string[]>>>;

/** How the needed level travels on the authorization request: one parameter, its value per level. */
export interface LevelRequest {
  readonly parameter: string;
  readonly values: Readonly<Record<NsisLevel, string>>;
}

/**
 * How one MitID broker (or a plain OIDC provider) speaks, as data: the claims that carry the
 * identity, the scope that releases them, how an assurance level is asked for and comes back, and
 * the error dialect of its redirects. An upstream's configuration names a profile and may override
 * any of it per key (src/upstream/profiles/index.ts).
 */
export interface BrokerProfile {
  readonly dialect: DialectName;
  readonly scope: string;
  readonly claims: ClaimNames;
  readonly level: {
    /** Absent: the level is not asked for (an operator may still set `acr_values`). */
    readonly request: LevelRequest | undefined;
    /** Claims the reached level comes back in, tried in order. */
    readonly claims: readonly string[];
    /** The broker's spellings of each level; compared without regard to case. */
    readonly values: Readonly<Record<string, NsisLevel>>;
  };
  /** The claim listing the authenticators used (`code_app`, `password`, …), if the broker sends one. */
  readonly amrClaim: string | undefined;
  /** The authorization parameter carrying the user's language. */
  readonly languageParameter: string;
  /** The broker puts RFC 9207 `iss` on its authorization responses and says so in its discovery document. */
  readonly issResponse: boolean;
}

/** The NSIS level URIs in both spellings seen: with `/loa/` (NemLog-in) and without (Signaturgruppen). */
export const NSIS_URI_VALUES: Readonly<Record<string, NsisLevel>> = {
  'https://data.gov.dk/concept/core/nsis/loa/Low': 'low',
  'https://data.gov.dk/concept/core/nsis/loa/Substantial': 'substantial',
  'https://data.gov.dk/concept/core/nsis/loa/High': 'high',
  'https://data.gov.dk/concept/core/nsis/Low': 'low',
  'https://data.gov.dk/concept/core/nsis/Substantial': 'substantial',
  'https://data.gov.dk/concept/core/nsis/High': 'high',
};
