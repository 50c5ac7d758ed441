/**
 * NSIS assurance levels (the Danish levels of the eIDAS scale): what a client or tenant requires,
 * what a login reached, and the URI relying parties see in the ID token's `acr`. Upstream spellings
 * of a level are the broker profiles' business (src/upstream/profiles); this module is neutral.
 */

export const NSIS_LEVELS = ['low', 'substantial', 'high'] as const;

export type NsisLevel = (typeof NSIS_LEVELS)[number];

/** The level's name as the NSIS documents write it: `Substantial`. */
export function levelName(level: NsisLevel): string {
  return level[0]!.toUpperCase() + level.slice(1);
}

/** The `acr` value towards relying parties (the form NemLog-in uses): `https://data.gov.dk/concept/core/nsis/loa/Substantial`. */
export function nsisUri(level: NsisLevel): string {
  return `https://data.gov.dk/concept/core/nsis/loa/${levelName(level)}`;
}

export const NSIS_URIS: readonly string[] = NSIS_LEVELS.map(nsisUri);

/** Whether a login at `reached` satisfies a requirement of `needed`. */
export function meets(reached: NsisLevel, needed: NsisLevel): boolean {
  return NSIS_LEVELS.indexOf(reached) >= NSIS_LEVELS.indexOf(needed);
}

/** The stricter of several requirements (client and tenant): a login must meet both. */
export function strictest(...levels: NsisLevel[]): NsisLevel {
  return levels.reduce<NsisLevel>((a, b) => (meets(a, b) ? a : b), 'low');
}

/** The level an NSIS URI names; undefined for any other value. */
export function levelOfUri(uri: string): NsisLevel | undefined {
  return NSIS_LEVELS.find((level) => nsisUri(level) === uri);
}

/** The most lenient of several acceptable levels (any of them satisfies the request). */
export function lowest(levels: readonly NsisLevel[]): NsisLevel | undefined {
  return NSIS_LEVELS.find((level) => levels.includes(level));
}
