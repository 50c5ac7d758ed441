import { parseArgs } from 'node:util';
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from '../config/load.ts';
import type { Config } from '../config/model.ts';
import { usageLine, type Command, type CommandInput } from './command.ts';
import { Output } from './output.ts';
import { COMMANDS } from './registry.ts';
import { openCliStores, type CliStores } from './stores.ts';
import { UsageError } from './usage-error.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => usageLine(c).length));
  return [
    'Portvagt operator CLI. Reads the server configuration (PORTVAGT_CONFIG, DATABASE_URL, PORTVAGT_DATA_DIR, ...).',
    'An <account> is an account id or tenant/username. Add --json for output to scripts.',
    '',
    ...COMMANDS.map((c) => `  ${usageLine(c).padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

/** The command named by the first one or two words, and the arguments after them. */
function findCommand(argv: string[]): { command: Command; rest: string[] } {
  const [first = '', second = ''] = argv;
  const two = COMMANDS.find((c) => c.name === `${first} ${second}`);
  if (two) return { command: two, rest: argv.slice(2) };
  const one = COMMANDS.find((c) => c.name === first);
  if (one) return { command: one, rest: argv.slice(1) };
  const group = COMMANDS.filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name.split(' ')[1]);
  if (group.length) {
    throw new UsageError(second && !second.startsWith('-') ? `unknown command "${first} ${second}" (${first}: ${group.join(', ')})` : `"${first}" needs one of: ${group.join(', ')}`);
  }
  throw new UsageError(`unknown command "${first}"; run "portvagt help" for the list`);
}

function parseCommandArgs(command: Command, rest: string[]) {
  try {
    return parseArgs({
      args: rest,
      options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    // Node's messages name the option; only its first sentence is kept, and never an argument value.
    const { message, code } = error as { message: string; code?: string };
    const option = /'(-[^' ]+)/.exec(message)?.[1] ?? 'option';
    const problem =
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `unknown option ${option}`
      : message.includes('argument missing') ? `${option} needs a value`
      : `${option} takes no value`;
    throw new UsageError(`${problem}; usage: ${usageLine(command)}`);
  }
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || ['help', '--help', '-h'].includes(argv[0]!)) {
    (argv.length === 0 ? io.stderr : io.stdout).write(`${helpText()}\n`);
    return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  let stores: CliStores | undefined;
  try {
    const { command, rest } = findCommand(argv);
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) {
      io.stdout.write(`${usageLine(command)}\n  ${command.summary}\n`);
      return EXIT_OK;
    }
    if (positionals.length < command.args.length) throw new UsageError(`missing ${command.args[positionals.length]}; usage: ${usageLine(command)}`);
    // The extra words are not echoed: they may be a secret typed in the wrong place.
    if (positionals.length > command.args.length) throw new UsageError(`too many arguments; usage: ${usageLine(command)}`);
    let config: Config | undefined;
    const input: CommandInput = {
      values,
      args: positionals,
      out: new Output(io.stdout, values.json === true),
      stdin: io.stdin,
      stderr: io.stderr,
      env: io.env,
      configFile: io.env.PORTVAGT_CONFIG ?? DEFAULT_CONFIG_FILE,
      config: () => (config ??= loadConfig(io.env)),
      stores: async () => (stores ??= await openCliStores(input.config())),
    };
    await command.run(input);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr.write(`portvagt: ${error.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`portvagt: failed: ${(error as Error)?.message?.split('\n')[0] ?? String(error)}\n`);
    return EXIT_FAILED;
  } finally {
    await stores?.durable.close();
  }
}
