/**
 * Idura Verify (formerly Criipto), from its public documentation (docs/mitid-brokers.md, Sources):
 * `cprNumberIdentifier` (scope `ssn`), `cvrNumberIdentifier` and `ridNumberIdentifier` for MitID
 * Erhverv, `uuid`, and the level asked for and returned as `urn:grn:authn:dk:mitid:<level>` in
 * `acr_values`/`acr`. A MitID Erhverv upstream sets `acr_values: urn:grn:authn:dk:mitid:business`.
 */
import type { BrokerProfile } from './profile.ts';

const urn = (level: string) => `urn:grn:authn:dk:mitid:${level}`;

export const idura: BrokerProfile = {
  dialect: 'mitid',
  scope: 'openid ssn',
  claims: {
    cpr: ['cprNumberIdentifier'],
    cvr: ['cvrNumberIdentifier'],
    uuid: ['uuid'],
    name: ['name'],
    given_name: ['given_name'],
    family_name: ['family_name'],
    birthdate: ['birthdate'],
    rid: ['ridNumberIdentifier'],
  },
  level: {
    request: { parameter: 'acr_values', values: { low: urn('low'), substantial: urn('substantial'), high: urn('high') } },
    claims: ['acr'],
    values: { [urn('low')]: 'low', [urn('substantial')]: 'substantial', [urn('high')]: 'high' },
  },
  amrClaim: 'amr',
  languageParameter: 'ui_locales',
  issResponse: true,
};
