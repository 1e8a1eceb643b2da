// Paged.js is made to wait only for the faces the laid-out article asked for (build/print/paged/start.js). A face
// first needed during pagination — here a Traditional character that only the running head carries — must not
// print with a stand-in: the PDF stage notices it and paginates again with every face loaded.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
