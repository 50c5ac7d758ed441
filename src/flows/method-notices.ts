import type { Page } from '../http/page.ts';
import type { UpstreamStatus } from '../ops/upstream-health.ts';

export interface ChooserMethod {
  id: string;
  name: string;
  disabled: boolean;
}

/**
 * What the chooser says under a disturbed method: the operator's notice, else that the method has
 * problems right now, then the other methods on the page that work. The button stays clickable: the
 * disturbance may not hit every user, and the user decides.
 */
export function methodNotices(methods: ChooserMethod[], status: (id: string) => UpstreamStatus, page: Pick<Page, 'locale' | 't'>): Map<string, string> {
  const statuses = new Map(methods.map((m) => [m.id, status(m.id)]));
  const disturbed = (id: string) => statuses.get(id)?.degraded || statuses.get(id)?.notice !== undefined;
  const working = methods.filter((m) => !m.disabled && !disturbed(m.id)).map((m) => m.name);
  const alternatives = working.length ? ` ${page.t('ui.chooser.alternatives', { methods: new Intl.ListFormat(page.locale, { type: 'disjunction' }).format(working) })}` : '';
  const notices = new Map<string, string>();
  for (const method of methods) {
    const { notice } = statuses.get(method.id) ?? {};
    if (method.disabled || !disturbed(method.id)) continue;
    const text = notice ? (page.locale === 'da' ? notice.text : (notice.textEn ?? notice.text)) : page.t('ui.chooser.degraded', { method: method.name });
    notices.set(method.id, text + alternatives);
  }
  return notices;
}
