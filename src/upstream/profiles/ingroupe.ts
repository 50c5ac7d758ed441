/**
 * IN Groupe E-Ident (formerly Nets E-Ident). Its public error catalogue is in the `mitid` dialect;
 * its claim names were not in the documentation researched (docs/mitid-brokers.md, Sources), so
 * this profile reads Portvagt's plain names and the NSIS level URIs, and an upstream configuration
 * names the claims its agreement with IN Groupe gives (`claims:` per key).
 */
import { NSIS_URI_VALUES, type BrokerProfile } from './profile.ts';
import { nsisLevelRequest, standardClaims } from './generic-oidc.ts';

export const ingroupe: BrokerProfile = {
  dialect: 'mitid',
  scope: 'openid profile',
  claims: standardClaims,
  level: { request: nsisLevelRequest, claims: ['acr', 'loa'], values: NSIS_URI_VALUES },
  amrClaim: 'amr',
  languageParameter: 'ui_locales',
  issResponse: true,
};
