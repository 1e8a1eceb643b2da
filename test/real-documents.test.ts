// The real Chinese Markdown documents under test/fixtures/real/ build as people published them: PDF and
// EPUB, every heading on the printed page, the footnotes in the notes, and EPUBCheck without an error.
// (The weekly, whose photos are remote, goes through `banmian import` first: see import.test.ts.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../build/core/build.ts';
import { ROOT } from './helpers/cli.ts';
import { pdfPageTexts } from './helpers/poppler.ts';

const REAL = path.join(ROOT, 'test/fixtures/real');
const DOCUMENTS = ['smart-questions', 'copywriting-guidelines', 'punctuation-marks', 'dns-troubleshooting'];
const EPUBCHECK = '/usr/share/java/epubcheck.jar';

let out: string;

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'banmian-real-'));
  await build({
    inputs: DOCUMENTS.map((name) => path.join(REAL, name)),
    formats: ['pdf', 'epub'],
    outDir: out,
    preset: 'broadsheet',
    cropMarks: false,
    bleed: 0,
  });
});

/** A heading's words as they print: link targets, code ticks and emphasis marks gone, no spaces. */
function headingText(line: string): string {
  return line.replace(/^#+\s*/, '').replace(/\]\([^)]*\)/g, '').replace(/[[\]`*]/g, '').replace(/\s+/g, '');
}

describe.each(DOCUMENTS)('%s', (name) => {
  const source = readFileSync(path.join(REAL, name, 'article.md'), 'utf8');

  it('prints every heading, the title first', () => {
    const printed = pdfPageTexts(path.join(out, `${name}.pdf`)).join('').replace(/\s+/g, '');
    const headings = [...source.matchAll(/^#{1,6} .*$/gm)].map((match) => headingText(match[0]));
    expect(headings.length).toBeGreaterThan(0);
    for (const heading of headings) expect(printed).toContain(heading);
    expect(printed.indexOf(headings[0])).toBe(printed.search(/\S/));
  });

  it('makes an EPUB that EPUBCheck accepts', () => {
    const check = spawnSync('java', ['-jar', EPUBCHECK, path.join(out, `${name}.epub`)], { encoding: 'utf8', timeout: 120_000 });
    expect(check.stdout + check.stderr).toMatch(/No errors or warnings detected|Messages: 0 fatals \/ 0 errors/);
  });
});

it('prints the DNS section\'s footnotes as notes', () => {
  const printed = pdfPageTexts(path.join(out, 'dns-troubleshooting.pdf')).join('').replace(/\s+/g, '');
  expect(printed).toContain('参见https://www.akamai.com/blog/news/akamai-summarizes-service-disruption-resolved'.replace(/\s+/g, ''));
  expect(printed).toContain('参见https://en.wikipedia.org/wiki/2021_Facebook_outage');
});
