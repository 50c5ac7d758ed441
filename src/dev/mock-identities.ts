/**
 * Fixed test identities for the mock upstream identity providers. Every value is invented; subjects
 * never change, so tests and the demo seed can refer to them. The first identity of each kind is the
 * demo identity (`DEMO_SUBJECTS`): the same invented person, Mette Jensen, at every upstream.
 */

export type UpstreamKind = 'mitid' | 'mitid-erhverv' | 'nemid' | '2fa';

export const UPSTREAM_KINDS: readonly UpstreamKind[] = ['mitid', 'mitid-erhverv', 'nemid', '2fa'];

export interface MockIdentity {
  readonly sub: string;
  /** The `acr` the mock puts in the ID token for this identity. */
  readonly acr: string;
  /** Every other ID token claim, e.g. `name`, `cpr`, `cvr`. */
  readonly claims: Readonly<Record<string, string>>;
  /** The authenticators a MitID broker names in `amr`. */
  readonly amr?: readonly string[];
}

const LOA = 'https://data.gov.dk/concept/core/nsis/loa/';
const MFA = 'https://refeds.org/profile/mfa';

const person = (given: string, family: string) => ({
  name: `${given} ${family}`,
  given_name: given,
  family_name: family,
});

/** MitID Erhverv's persistent professional id is the subject; `professional_uuid` repeats it as the upstream sends it. */
const professional = (sub: string, cvr: string, company: string, rid: string) => ({
  cvr,
  company_name: company,
  rid: `CVR:${cvr}-RID:${rid}`,
  professional_uuid: sub,
});

export const MOCK_IDENTITIES: Readonly<Record<UpstreamKind, readonly MockIdentity[]>> = {
  mitid: [
    {
      sub: '8a3c1f52-6d0e-4b7a-9c21-3e5f7a9b1d04',
      acr: `${LOA}Substantial`,
      claims: { ...person('Mette', 'Jensen'), cpr: '1204851234' },
      amr: ['code_app'],
    },
    {
      sub: '2f9e7d41-0b6c-4e3a-8f15-9a7c5e3b1d62',
      acr: `${LOA}High`,
      claims: { ...person('Lars', 'Nielsen'), cpr: '0307724321' },
      amr: ['code_app'],
    },
    {
      sub: 'c5d4e3f2-a1b0-4c9d-8e7f-6a5b4c3d2e1f',
      acr: `${LOA}Substantial`,
      claims: person('Anna', 'Hansen'),
      amr: ['code_token'],
    },
    {
      // A login at level Low (user id and password only): refused where a system requires more.
      sub: '7d2a9c4e-1f3b-4a6d-8e0c-5b7f9a1d3c26',
      acr: `${LOA}Low`,
      claims: { ...person('Peter', 'Lund'), cpr: '1508904567' },
      amr: ['password'],
    },
  ],
  'mitid-erhverv': [
    {
      sub: '4b6d8f0a-2c4e-4a6b-8d0f-1a3c5e7b9d2f',
      acr: `${LOA}Substantial`,
      claims: {
        ...person('Mette', 'Jensen'),
        cpr: '1204851234',
        ...professional('4b6d8f0a-2c4e-4a6b-8d0f-1a3c5e7b9d2f', '12345678', 'Portvagt Demo ApS', '1234'),
      },
    },
    {
      sub: '9e1d3b5f-7a2c-4e8d-b6f0-2c4a6e8d0b1a',
      acr: `${LOA}High`,
      claims: {
        ...person('Lars', 'Nielsen'),
        ...professional('9e1d3b5f-7a2c-4e8d-b6f0-2c4a6e8d0b1a', '12345678', 'Portvagt Demo ApS', '5678'),
      },
    },
    {
      sub: 'd0e2f4a6-b8c1-4d3e-9f5a-7b9c1d3e5f70',
      acr: `${LOA}Substantial`,
      claims: {
        ...person('Sofie', 'Andersen'),
        ...professional('d0e2f4a6-b8c1-4d3e-9f5a-7b9c1d3e5f70', '87654321', 'Anden Virksomhed A/S', '4321'),
      },
    },
    {
      sub: '3c5e7a9b-1d2f-4b6a-9c8e-0f2a4c6e8b13',
      acr: `${LOA}Low`,
      claims: {
        ...person('Peter', 'Lund'),
        ...professional('3c5e7a9b-1d2f-4b6a-9c8e-0f2a4c6e8b13', '12345678', 'Portvagt Demo ApS', '9012'),
      },
      amr: ['mitid:password'],
    },
  ],
  nemid: [
    {
      sub: 'PID:9208-2002-2-741852963012',
      acr: `${LOA}Substantial`,
      claims: { ...person('Mette', 'Jensen'), cpr: '1204851234' },
    },
    {
      sub: 'PID:9208-2002-2-369258147036',
      acr: `${LOA}Substantial`,
      claims: { ...person('Lars', 'Nielsen'), cpr: '0307724321' },
    },
    {
      sub: 'PID:9208-2002-2-159357486024',
      acr: `${LOA}Substantial`,
      claims: person('Anna', 'Hansen'),
    },
  ],
  '2fa': [
    {
      sub: 'mette.jensen',
      acr: MFA,
      claims: { ...person('Mette', 'Jensen'), preferred_username: 'mette.jensen', email: 'mette.jensen@demo.example' },
    },
    {
      sub: 'lars.nielsen',
      acr: MFA,
      claims: { ...person('Lars', 'Nielsen'), preferred_username: 'lars.nielsen', email: 'lars.nielsen@demo.example' },
    },
    {
      sub: 'drift.admin',
      acr: MFA,
      claims: { ...person('Drift', 'Administrator'), preferred_username: 'drift.admin', email: 'drift@demo.example' },
    },
  ],
};

/** The subject per kind that the demo account is linked to. */
export const DEMO_SUBJECTS: Readonly<Record<UpstreamKind, string>> = {
  mitid: MOCK_IDENTITIES.mitid[0]!.sub,
  'mitid-erhverv': MOCK_IDENTITIES['mitid-erhverv'][0]!.sub,
  nemid: MOCK_IDENTITIES.nemid[0]!.sub,
  '2fa': MOCK_IDENTITIES['2fa'][0]!.sub,
};

export function findIdentity(kind: UpstreamKind, sub: string): MockIdentity | undefined {
  return MOCK_IDENTITIES[kind].find((identity) => identity.sub === sub);
}

