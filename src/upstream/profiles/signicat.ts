/**
 * Signicat's eID hub, from its public documentation (docs/mitid-brokers.md, Sources): the CPR as
 * `nin` (scope `nin`), the MitID UUID as `mitid_uuid` (scope `mitid-extra`), MitID chosen with
 * `acr_values=idp:mitid` plus `loa:<level>`, and the level returned in `mitid_loa` (`SUBSTANTIAL`,
 * `HIGH`). Signicat documents no CVR claim for MitID Erhverv: an upstream that has one names it.
 */
import type { BrokerProfile } from './profile.ts';

const acr = (level: string) => `idp:mitid loa:${level}`;

export const signicat: BrokerProfile = {
  dialect: 'mitid',
  scope: 'openid profile nin mitid-extra',
  claims: {
    cpr: ['nin'],
    uuid: ['mitid_uuid'],
    name: ['name'],
    given_name: ['given_name'],
    family_name: ['family_name'],
    birthdate: ['birthdate'],
  },
  level: {
    request: { parameter: 'acr_values', values: { low: acr('low'), substantial: acr('substantial'), high: acr('high') } },
    claims: ['mitid_loa'],
    values: { LOW: 'low', SUBSTANTIAL: 'substantial', HIGH: 'high' },
  },
  amrClaim: 'amr',
  languageParameter: 'ui_locales',
  issResponse: true,
};
