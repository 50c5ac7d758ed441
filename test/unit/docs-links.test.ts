import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headingAnchor, headingAnchors, linkTargets, readDoc, ROOT } from '../helpers/markdown.ts';

const DOCS = ['README.md', 'bench/README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Why a relative link of `from` leads nowhere, or undefined when its file and heading exist. */
function brokenLink(from: string, target: string): string | undefined {
  const [path, anchor] = target.split('#', 2) as [string, string | undefined];
  const file = path === '' ? join(ROOT, from) : join(ROOT, dirname(from), decodeURIComponent(path));
  if (!existsSync(file)) return 'no such file';
  if (anchor === undefined) return undefined;
  if (!file.endsWith('.md')) return 'an anchor into a file that is not markdown';
  return headingAnchors(readDoc(relative(ROOT, file))).has(anchor) ? undefined : 'no such heading';
}

describe('the links between the docs', () => {
  it('makes anchors as GitHub does', () => {
    expect(headingAnchor('Error answers without `iss`')).toBe('error-answers-without-iss');
    expect(headingAnchor('Latest figures (2026-12-02 evening, commit `a34c43d`)')).toBe('latest-figures-2026-12-02-evening-commit-a34c43d');
    expect(headingAnchor("The embedded ephemeral store's size")).toBe('the-embedded-ephemeral-stores-size');
    expect(headingAnchor('What stands between 3.3× / 4.0× and 2.5×')).toBe('what-stands-between-33--40-and-25');
    expect([...headingAnchors('# A\n## A\n```sh\n# not a heading\n```\n## A\n')]).toEqual(['a', 'a-1', 'a-2']);
  });

  it.each(DOCS)('%s: every relative link and #anchor leads to a file and heading that exist', (doc) => {
    const relativeTargets = linkTargets(readDoc(doc)).filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));
    const broken = relativeTargets.map((target) => ({ target, problem: brokenLink(doc, target) })).filter((link) => link.problem);
    expect(broken).toEqual([]);
  });

  it('links every docs file from the README', () => {
    const fromReadme = new Set(linkTargets(readDoc('README.md')).map((target) => target.split('#')[0]));
    expect(DOCS.filter((doc) => doc !== 'README.md' && !fromReadme.has(doc))).toEqual([]);
  });
});
