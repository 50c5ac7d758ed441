import { expect } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.ts';

/** The message a refused configuration gets; fails the test when the configuration is accepted. */
export function configProblem(raw: unknown, env = {}): string {
  try {
    parseConfig(raw, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('configuration was accepted');
}
