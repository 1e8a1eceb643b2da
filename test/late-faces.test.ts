// Paged.js is made to wait only for the faces the laid-out article asked for (build/print/paged/start.js). A face
// first needed during pagination — here a Traditional character that only the running head carries — must not
// print with a stand-in: the PDF stage notices it and paginates again with every face loaded. A face that fails
// to load (here a cut face damaged in the cache, where a local Chromium reads it) fails the build, naming it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadArticle } from '../build/model/load.ts';
import { renderPrintDocument } from '../build/print/document.ts';
import { cutSetFolder } from '../build/print/font-cuts.ts';
import { PRESETS } from '../build/print/presets.ts';
import { writeArticle } from './helpers/article.ts';
import { runCli } from './helpers/cli.ts';

const BODY = '长沙制造业稳步向前，产业链条不断延伸。\n\n新的一年，工厂里的生产线依旧忙碌。\n';
const LATE = /Noto Sans TC \d+ first needed during pagination; paginating again with every face loaded/;

function build(publication: string): { stderr: string; fonts: string; text: string } {
  const dir = writeArticle(`title: 工厂的一天\npublication: ${publication}`, BODY);
  const out = mkdtempSync(path.join(tmpdir(), 'banmian-late-faces-'));
  const result = runCli(['build', dir, '--format', 'pdf', '--out', out]);
  expect(result.code, result.stderr).toBe(0);
  const pdf = path.join(out, 'sample.pdf');
  return {
    stderr: result.stderr,
    fonts: spawnSync('pdffonts', [pdf], { encoding: 'utf8' }).stdout,
    text: spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).stdout,
  };
}

describe('faces first needed during pagination', () => {
  it('a Traditional character only in the running head: paginated again, printed in Noto Sans TC', () => {
    const { stderr, fonts, text } = build('鸚鵡晚報');
    expect(stderr).toMatch(LATE);
    expect(fonts).toMatch(/NotoSansTC/);
    expect(text).toContain('鸚鵡晚報');
  });

  it('a running head the article\'s faces already set: paginated once, no Traditional face', () => {
    const { stderr, fonts, text } = build('长沙晚报');
    expect(stderr).not.toMatch(/first needed during pagination/);
    expect(fonts).not.toMatch(/NotoSansTC/);
    expect(text).toContain('长沙晚报');
  });

  it('a face that fails to load: exit 1, naming it, no PDF', async () => {
    const dir = writeArticle('title: 坏掉的字体', '这一篇的字只为这一个测试而写：霁虹桥畔，鹧鸪声里。\n');
    const out = mkdtempSync(path.join(tmpdir(), 'banmian-failed-face-'));
    expect(runCli(['build', dir, '--format', 'pdf', '--out', out]).code).toBe(0);
    // The cut set of this document, as the PDF stage names it (broadsheet, no crop marks or bleed).
    const source = renderPrintDocument({ article: await loadArticle(dir), preset: PRESETS.broadsheet, cropMarks: false, bleed: 0, assetUrl: (file) => file });
    const cut = path.join(cutSetFolder(source), 'Noto-Serif-SC-400.ttf');
    // Still a TrueType file by its first bytes, as the cache checks; Chromium's sanitiser refuses the rest.
    writeFileSync(cut, readFileSync(cut).subarray(0, 4096));
    rmSync(path.join(out, 'sample.pdf'));
    try {
      const result = runCli(['build', dir, '--format', 'pdf', '--out', out]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/the face Noto Serif SC 400 failed to load in Chromium/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(spawnSync('ls', [out], { encoding: 'utf8' }).stdout).not.toContain('sample.pdf');
    } finally {
      rmSync(cutSetFolder(source), { recursive: true, force: true });
    }
  }, 60_000);
});
