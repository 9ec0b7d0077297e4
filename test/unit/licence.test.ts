import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The seed is MIT-licensed, and so is this project: the licence file and package.json say the same. */
const root = join(import.meta.dirname, '..', '..');

describe('licence', () => {
  it('ships the MIT licence text with the project’s holder', () => {
    const licence = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(licence).toMatch(/^MIT License\n/);
    expect(licence).toMatch(/Copyright \(c\) \d{4} Mental Health Analytics contributors/);
    expect(licence).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  it('package.json names the same licence', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { license?: string };
    expect(pkg.license).toBe('MIT');
  });
});
