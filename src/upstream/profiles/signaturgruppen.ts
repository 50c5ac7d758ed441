/**
 * Signaturgruppen's MitID broker (NEB, formerly the Nets eID Broker), from its public broker
 * documentation (docs/mitid-brokers.md, Sources): `dk.cpr` behind scope `ssn`, the `mitid.*`
 * claims behind scope `mitid`, MitID Erhverv's `nemlogin.*` claims, the level asked for in
 * `idp_params` and returned in `loa`/`acr` as an NSIS URI, and authorization responses without `iss`.
 */
import type { NsisLevel } from '../../assurance.ts';
import { NSIS_URI_VALUES, type BrokerProfile } from './profile.ts';

const SIGNATURGRUPPEN_URIS: Readonly<Record<string, NsisLevel>> = {
  'https://data.gov.dk/concept/core/nsis/Low': 'low',
  'https://data.gov.dk/concept/core/nsis/Substantial': 'substantial',
  'https://data.gov.dk/concept/core/nsis/High': 'high',
};

const loa = (value: string) => JSON.stringify({ mitid: { loa_value: value } });

export const signaturgruppen: BrokerProfile = {
  dialect: 'mitid',
  scope: 'openid mitid ssn',
  claims: {
    cpr: ['dk.cpr', 'nemlogin.cpr'],
    cvr: ['nemlogin.cvr'],
    uuid: ['mitid.uuid'],
    name: ['mitid.identity_name', 'nemlogin.name'],
    birthdate: ['mitid.date_of_birth'],
    rid: ['nemlogin.nemid.rid'],
    professional_id: ['nemlogin.persistent_professional_id'],
  },
  level: {
    request: { parameter: 'idp_params', values: { low: loa('low'), substantial: loa('substantial'), high: loa('high') } },
    claims: ['loa', 'acr'],
    // Its own spelling first (the mock writes the first one); both are read.
    values: { ...SIGNATURGRUPPEN_URIS, ...NSIS_URI_VALUES },
  },
  amrClaim: 'amr',
  languageParameter: 'ui_locales',
  issResponse: false,
};
