import type { Page } from '../http/page.ts';
import type { UpstreamStatus } from '../ops/upstream-health.ts';

export interface ChooserMethod {
  id: string;
  name: string;
  disabled: boolean;
}

const listFormats = new Map<string, Intl.ListFormat>();

/** "A, B or C" in a language; a formatter is costly to build, so one per language is kept. */
function listFormat(locale: string): Intl.ListFormat {
  let format = listFormats.get(locale);
  if (!format) listFormats.set(locale, (format = new Intl.ListFormat(locale, { type: 'disjunction' })));
  return format;
}

/**
 * What the chooser says under a disturbed method: the operator's notice, else that the method has
 * problems right now, then the other methods on the page that work. The button stays clickable: the
 * disturbance may not hit every user, and the user decides.
 */
export function methodNotices(methods: ChooserMethod[], status: (id: string) => UpstreamStatus, page: Pick<Page, 'locale' | 't'>): Map<string, string> {
  const statuses = new Map(methods.map((m) => [m.id, status(m.id)]));
  const disturbed = (id: string) => statuses.get(id)?.degraded || statuses.get(id)?.notice !== undefined;
  const notices = new Map<string, string>();
  // The usual chooser: nothing disturbed, nothing to say (and no list formatter to build).
  if (!methods.some((m) => !m.disabled && disturbed(m.id))) return notices;
  const working = methods.filter((m) => !m.disabled && !disturbed(m.id)).map((m) => m.name);
  const alternatives = working.length ? ` ${page.t('ui.chooser.alternatives', { methods: listFormat(page.locale).format(working) })}` : '';
  for (const method of methods) {
    const { notice } = statuses.get(method.id) ?? {};
    if (method.disabled || !disturbed(method.id)) continue;
    const text = notice ? (page.locale === 'da' ? notice.text : (notice.textEn ?? notice.text)) : page.t('ui.chooser.degraded', { method: method.name });
    notices.set(method.id, text + alternatives);
  }
  return notices;
}
