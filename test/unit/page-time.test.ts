import { describe, expect, it } from 'vitest';
import { pageTime } from '../../src/i18n/page-time.ts';

describe('times on pages', () => {
  it('are Danish time, in words, and say so', () => {
    const winter = new Date('2026-12-02T01:43:16Z');
    expect(pageTime('da', winter)).toBe('2. december 2026 kl. 02:43 (dansk tid)');
    expect(pageTime('en', winter)).toBe('2 December 2026 at 02:43 (Danish time)');
  });

  it('follow summer time and the date line in Copenhagen', () => {
    expect(pageTime('da', new Date('2026-07-01T22:30:00Z'))).toBe('2. juli 2026 kl. 00:30 (dansk tid)');
  });
});
