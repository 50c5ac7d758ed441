import type { ParseArgsOptionsConfig } from 'node:util';
import type { Config } from '../config/model.ts';
import type { Output } from './output.ts';
import type { CliStores } from './stores.ts';
import { UsageError } from './usage-error.ts';

export interface CommandInput {
  /** Option values after parsing, by option name. */
  values: Record<string, string | boolean | undefined>;
  /** The positional arguments, as many as the command declares. */
  args: string[];
  out: Output;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  /** The process environment the configuration is read with. */
  env: Record<string, string | undefined>;
  /** The configuration file in use (PORTVAGT_CONFIG or the default). */
  configFile: string;
  /** The validated configuration (a ConfigError if it is not). */
  config(): Config;
  /** The durable store, opened and migrated on first use. */
  stores(): Promise<CliStores>;
}

export interface Command {
  /** The words that select it, e.g. `accounts create`. */
  name: string;
  /** Required positional arguments, e.g. `<account>`. */
  args: string[];
  /** Options beyond the global --json and --help. */
  options?: ParseArgsOptionsConfig;
  /** The options part of the usage line. */
  optionsUsage?: string;
  summary: string;
  run(input: CommandInput): Promise<void>;
}

export function usageLine(command: Command): string {
  return ['portvagt', command.name, ...command.args, command.optionsUsage].filter(Boolean).join(' ');
}

/** A string option the command cannot do without. */
export function requiredOption(input: CommandInput, name: string): string {
  const value = input.values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing --${name}`);
  return value;
}

export function stringOption(input: CommandInput, name: string): string | undefined {
  const value = input.values[name];
  return typeof value === 'string' ? value : undefined;
}
