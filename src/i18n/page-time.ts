import { translate } from './i18n.ts';

/** Users are in Denmark: pages show times in Danish time, and say so. Logs and audit events stay UTC ISO. */
export const PAGE_TIME_ZONE = 'Europe/Copenhagen';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: PAGE_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "2. december 2026 kl. 02:43 (dansk tid)": the locale file's `ui.time` pattern and month names. */
export function pageTime(locale: string, at: Date): string {
  const found = parts.formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => found.find((p) => p.type === type)?.value ?? '';
  return translate(locale, 'ui.time.format', {
    day: Number(get('day')),
    month: translate(locale, 'ui.time.months').split(',')[Number(get('month')) - 1] ?? get('month'),
    year: get('year'),
    time: `${get('hour')}:${get('minute')}`,
  });
}
