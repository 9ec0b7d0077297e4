import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The documentation ships with the product: every document a file of the repository names — a markdown
 * link, or a path to a markdown file in a code comment — exists in the repository, and every anchor a
 * link points at is a heading of its target. A fresh clone has nothing else to read.
 */
const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));

/** Text files git tracks, plus new ones it does not ignore (the change being written). */
const trackedFiles = (): string[] =>
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => /\.(ts|mts|mjs|js|md|ya?ml|json|sh)$/.test(file) || file === '.ci/run')
    .filter((file) => !file.endsWith('package-lock.json') && existsSync(join(ROOT, file)));

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const slugOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');

const anchorsOf = (markdownFile: string): Set<string> => {
  const text = readFileSync(markdownFile, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => slugOf(match[1]!)));
};

/** A referenced path, resolved against the referring file's folder, then the repository root. */
const resolve = (from: string, target: string): string | undefined => {
  for (const base of [dirname(join(ROOT, from)), ROOT]) {
    const candidate = normalize(join(base, target));
    if (candidate.startsWith(ROOT) && existsSync(candidate)) return candidate;
  }
  return undefined;
};

interface Problem {
  file: string;
  reference: string;
  problem: string;
}

const files = trackedFiles();

describe('documentation references', () => {
  it('finds the files to check', () => {
    expect(files).toContain('README.md');
    expect(files.filter((file) => file.startsWith('docs/')).length).toBeGreaterThan(5);
  });

  it('links in markdown point at files and headings that exist', () => {
    const problems: Problem[] = [];
    for (const file of files.filter((name) => name.endsWith('.md'))) {
      const text = readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = match[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // http:, https:, mailto:
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? join(ROOT, file) : resolve(file, path);
        if (!target) {
          problems.push({ file, reference: link, problem: 'no such file' });
          continue;
        }
        if (anchor && target.endsWith('.md') && !anchorsOf(target).has(anchor))
          problems.push({
            file,
            reference: link,
            problem: `no heading #${anchor} in ${relative(ROOT, target)}`,
          });
      }
    }
    expect(problems).toEqual([]);
  });

  it('every markdown file a source file or document names is in the repository', () => {
    const problems: Problem[] = [];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      // A markdown link's target inside a source file is relative to where that markdown is written (a
      // generated page): markdown files themselves are checked by the test above.
      for (const match of text.matchAll(/(?<![\w/.-]|\]\()((?:\.{1,2}\/)*[\w./-]*[\w-]\.md)\b/g)) {
        const reference = match[1]!;
        if (!resolve(file, reference)) problems.push({ file, reference, problem: 'no such file' });
      }
    }
    expect(problems).toEqual([]);
  });
});
