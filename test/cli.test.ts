// The CLI surface: help, version, usage errors (exit 2), and the html format's output file.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

describe('banmian CLI', () => {
  it('prints help and version', () => {
    expect(runCli(['--help'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/build[\s\S]*preview[\s\S]*check/) });
    expect(runCli(['--version']).stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(runCli(['build', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('--preset broadsheet|tabloid|a4') });
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['build', '--preset', 'folio'], /unknown --preset "folio"/],
    [['build', '--format', 'pdf,docx'], /unknown --format "docx"/],
    [['build', '--no-such-flag'], /Unknown option '--no-such-flag'/],
    [['build', '--bleed', 'lots'], /invalid --bleed "lots"/],
  ])('bad usage %j exits 2 and says why', (args, message) => {
    const result = runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('writes dist/<slug>.html with its images beside it', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'banmian-html-'));
    const result = runCli(['build', DEFAULT_ARTICLE, '--format', 'html', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^html changsha-manufacturing-2025 \d+\.\d\d s$/m);
    const html = readFileSync(path.join(out, 'changsha-manufacturing-2025.html'), 'utf8');
    for (const [, src] of html.matchAll(/<img src="([^"]+)"/g)) expect(existsSync(path.join(out, src))).toBe(true);
  });

  it('a folder that does not exist is bad input, exit 1', () => {
    const result = runCli(['build', 'manuscript/no-such-article', '--format', 'html']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('manuscript/no-such-article: 没有这个文件或文件夹');
  });
});
