import { describe, expect, it } from 'vitest';
import { RELEASE_RULES } from '../../src/flows/release-gate.ts';
import { STEPS } from '../../src/flows/steps.ts';
import { EVENTS } from '../../src/flows/transitions.ts';
import { readDoc, tableRows } from '../helpers/markdown.ts';

const doc = readDoc('docs/flows.md');

describe('docs/flows.md', () => {
  it('lists every event of the transition table, with its steps and its code', () => {
    const rows = tableRows(doc, 'event');
    expect(rows.map((r) => r[0])).toEqual(Object.keys(EVENTS).map((e) => `\`${e}\``));
    for (const [event, rule] of Object.entries(EVENTS)) {
      const row = rows.find((r) => r[0] === `\`${event}\``)!;
      if (rule.to.length) expect(row[2]!.split(', ').sort(), event).toEqual([...rule.to].sort());
      if ('late' in rule) expect(row[3], event).toBe(String(rule.late));
    }
  });

  it('lists every step of the step table with what it carries', () => {
    const rows = tableRows(doc, 'step');
    expect(rows.map((r) => r[0])).toEqual(Object.keys(STEPS).map((step) => `\`${step}\``));
    for (const [step, rule] of Object.entries(STEPS)) {
      const carried = Object.keys(rule.carries);
      const row = rows.find((r) => r[0] === `\`${step}\``)!;
      expect(row[3] === '—' ? [] : row[3]!.split(', ').sort(), step).toEqual(carried.sort());
      expect(row[2] !== '—' && !row[2]!.startsWith('—'), step).toBe('page' in rule);
    }
  });

  it('lists every release rule in the order the gate checks them, with its code', () => {
    const rows = tableRows(doc, 'rule');
    expect(rows.map((r) => r[0])).toEqual(Object.keys(RELEASE_RULES).map((r) => `\`${r}\``));
    for (const [rule, { code }] of Object.entries(RELEASE_RULES)) expect(rows.find((r) => r[0] === `\`${rule}\``)![2], rule).toBe(String(code));
  });
});
