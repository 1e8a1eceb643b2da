// The compiled CLI: `banmian` runs lib/ when it is current and starts without a TypeScript loader; a missing
// or stale lib/ is never used, and never silently (build/compiled.mjs decides, bin.mjs says so).
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleReason } from '../build/compiled.mjs';
import { runCli } from './helpers/cli.ts';

describe('compiled CLI', () => {
  it('is current after the install path (pretest compiled it) and runs without a notice', () => {
    expect(staleReason()).toBeUndefined();
    const result = runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('names the missing or out-of-date output', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'banmian-compiled-'));
    const sources = path.join(root, 'build');
    const compiled = path.join(root, 'lib');
    mkdirSync(path.join(sources, 'print'), { recursive: true });
    mkdirSync(path.join(compiled, 'print'), { recursive: true });
    writeFileSync(path.join(sources, 'print/pdf.ts'), 'export {};\n');
    writeFileSync(path.join(sources, 'types.d.ts'), 'export {};\n');
    expect(staleReason(sources, compiled)).toBe('lib/print/pdf.js is missing');
    writeFileSync(path.join(compiled, 'print/pdf.js'), 'export {};\n');
    const past = new Date(Date.now() - 60_000);
    utimesSync(path.join(sources, 'print/pdf.ts'), past, past);
    expect(staleReason(sources, compiled)).toBeUndefined();
    utimesSync(path.join(compiled, 'print/pdf.js'), new Date(past.getTime() - 1000), new Date(past.getTime() - 1000));
    expect(staleReason(sources, compiled)).toBe('build/print/pdf.ts changed after the last compile');
    rmSync(root, { recursive: true, force: true });
  });
});
