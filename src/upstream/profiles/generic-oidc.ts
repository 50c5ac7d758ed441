/**
 * Any OpenID Connect provider, and Portvagt's own mocks in their plain shape: standard claim names
 * plus `cpr`/`cvr`, the level (if any) as an NSIS URI in `acr`, plain OAuth errors. The level is not
 * asked for unless the upstream sets `acr_values`.
 */
import { nsisUri } from '../../assurance.ts';
import { NSIS_URI_VALUES, type BrokerProfile, type ClaimNames, type LevelRequest } from './profile.ts';

export const standardClaims: ClaimNames = {
  cpr: ['cpr'],
  cvr: ['cvr'],
  name: ['name'],
  given_name: ['given_name'],
  family_name: ['family_name'],
  birthdate: ['birthdate'],
  email: ['email'],
  rid: ['rid'],
  professional_id: ['professional_uuid'],
};

/** The NSIS URI itself in `acr_values`. */
export const nsisLevelRequest: LevelRequest = {
  parameter: 'acr_values',
  values: { low: nsisUri('low'), substantial: nsisUri('substantial'), high: nsisUri('high') },
};

export const genericOidc: BrokerProfile = {
  dialect: 'oidc',
  scope: 'openid profile',
  claims: standardClaims,
  level: { request: undefined, claims: ['acr'], values: NSIS_URI_VALUES },
  amrClaim: 'amr',
  languageParameter: 'ui_locales',
  issResponse: true,
};
