import { clearNotice, NOTICE_MAX_LENGTH, readNotice, setNotice } from '../../ops/upstream-notices.ts';
import { withStore } from '../shared-store.ts';
import { stringOption, type Command, type CommandInput } from '../command.ts';
import { table, when } from '../output.ts';
import { UsageError } from '../usage-error.ts';

const DEFAULT_HOURS = 24;

function upstreamArg(input: CommandInput): string {
  const id = input.args[0]!;
  const ids = [...input.config().methods.keys()];
  if (!ids.includes(id)) throw new UsageError(`unknown login method "${id}" (configured: ${ids.join(', ')})`);
  return id;
}

function noticeText(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim().replace(/\s+/g, ' ');
  if (!text || text.length > NOTICE_MAX_LENGTH) throw new UsageError(`${option} must be 1 to ${NOTICE_MAX_LENGTH} characters`);
  return text;
}

const set: Command = {
  name: 'notice set',
  args: ['<method>', '<text>'],
  options: { en: { type: 'string' }, hours: { type: 'string' } },
  optionsUsage: '[--en "English text"] [--hours 24]',
  summary: 'show a notice on a login method in the chooser (e.g. announced maintenance); the Danish text, and --en for English',
  async run(input) {
    const upstream = upstreamArg(input);
    const text = noticeText(input.args[1], '<text>')!;
    const textEn = noticeText(stringOption(input, 'en'), '--en');
    const hoursText = stringOption(input, 'hours') ?? String(DEFAULT_HOURS);
    const hours = Number(hoursText);
    if (!/^\d+(\.\d+)?$/.test(hoursText) || hours <= 0 || hours > 24 * 31) throw new UsageError('--hours must be a number of hours above 0 and at most 744');
    const setAt = Date.now();
    const until = setAt + hours * 3600 * 1000;
    await withStore(input.config(), (store) => setNotice(store, upstream, { text, textEn, setAt, until }));
    const reference = await (await input.stores()).ops.record('notice.set', { via: 'cli' }, { method: upstream, detail: `until ${new Date(until).toISOString()}` });
    input.out.print(
      { method: upstream, text, text_en: textEn ?? null, until: new Date(until).toISOString(), reference },
      `Notice on ${upstream} until ${when(until)} (reference ${reference}). Instances show it within ${input.config().degraded.refresh_seconds} s.`,
    );
  },
};

const clear: Command = {
  name: 'notice clear',
  args: ['<method>'],
  summary: "remove the operator's notice from a login method",
  async run(input) {
    const upstream = upstreamArg(input);
    const cleared = await withStore(input.config(), (store) => clearNotice(store, upstream));
    const reference = cleared ? await (await input.stores()).ops.record('notice.clear', { via: 'cli' }, { method: upstream }) : undefined;
    input.out.print({ method: upstream, cleared, reference: reference ?? null }, cleared ? `Notice on ${upstream} removed (reference ${reference}).` : `${upstream} had no notice.`);
  },
};

const list: Command = {
  name: 'notice list',
  args: [],
  summary: "the operators' notices now shown on login methods",
  async run(input) {
    const config = input.config();
    const now = Date.now();
    const notices = await withStore(config, async (store) =>
      (await Promise.all([...config.methods.keys()].map(async (method) => ({ method, notice: await readNotice(store, method, now) })))).filter((n) => n.notice),
    );
    const json = notices.map(({ method, notice }) => ({ method, text: notice!.text, text_en: notice!.textEn ?? null, until: new Date(notice!.until).toISOString() }));
    const rows = json.map((n) => [n.method, when(n.until), n.text]);
    input.out.print(json, rows.length ? table(['METHOD', 'UNTIL', 'TEXT'], rows) : 'No notices.');
  },
};

export const noticeCommands: Command[] = [set, clear, list];
