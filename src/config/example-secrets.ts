/**
 * Secret values Portvagt ships in its demo, compose, cluster, test and benchmark setups. They are
 * public, so production refuses them (test/unit/production-guard.test.ts checks every shipped file's
 * secrets against this list and the pattern).
 */
export const SHIPPED_EXAMPLE_SECRETS: readonly string[] = [
  'demo-cookie-key-not-for-production-0001',
  'demo-cpr-key-not-for-production-000001',
  'demo-secret-not-for-production',
  'compose-cookie-key-not-for-production-01',
  'compose-cpr-key-not-for-production-0001',
  'compose-demo-secret-not-for-production',
  'compose-metrics-token-0001',
  'cluster-cookie-key-not-for-production-01',
  'cluster-cpr-key-not-for-production-0001',
  'cluster-demo-secret-not-for-production',
  'mock-mitid-secret',
  'mock-mitid-erhverv-secret',
  'mock-nemid-secret',
  'mock-2fa-secret',
  'test-cookie-key-0123456789-0123456789',
  'test-cpr-key-0123456789-0123456789',
  'test-rp-secret-0123456789',
  'bench-cookie-key-0123456789-0123456789',
  'bench-cpr-key-0123456789-0123456789',
  'bench-rp-secret-0123456789',
  'bench-mock-secret',
];

/** Words that mark a value as a placeholder, whatever its exact spelling. */
export const EXAMPLE_SECRET_PATTERN = /not-for-production|change-?me|example|placeholder/i;

export function isExampleSecret(value: string): boolean {
  return SHIPPED_EXAMPLE_SECRETS.includes(value.trim()) || EXAMPLE_SECRET_PATTERN.test(value);
}
