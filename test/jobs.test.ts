// `build --jobs N`: several articles render at once in one browser (pages reused between articles), and the
// outputs are the very bytes of a one-at-a-time build.
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

describe('build --jobs', () => {
  it('three articles at once give the same bytes as one at a time', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'banmian-jobs-'));
    const inputs = path.join(work, 'in');
    for (const name of ['one', 'two', 'three']) cpSync(path.join(ROOT, DEFAULT_ARTICLE), path.join(inputs, name), { recursive: true });
    const outputs = ['1', '3'].map((jobs) => {
      const out = path.join(work, `jobs-${jobs}`);
      const result = runCli(['build', inputs, '--format', 'pdf,epub', '--jobs', jobs, '--out', out]);
      expect(result.code, result.stderr).toBe(0);
      return out;
    });
    const names = readdirSync(outputs[0]).sort();
    expect(names).toEqual(['one.epub', 'one.pdf', 'three.epub', 'three.pdf', 'two.epub', 'two.pdf']);
    expect(readdirSync(outputs[1]).sort()).toEqual(names);
    for (const name of names) expect(readFileSync(path.join(outputs[1], name)).equals(readFileSync(path.join(outputs[0], name))), name).toBe(true);
  });

  it.each(['0', '1.5', 'many'])('--jobs %s is bad usage', (jobs) => {
    const result = runCli(['build', DEFAULT_ARTICLE, '--jobs', jobs]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`invalid --jobs "${jobs}"`);
  });
});
