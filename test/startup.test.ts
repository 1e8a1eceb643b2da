// The compiled CLI: `banmian` runs lib/ when it is current and starts without a TypeScript loader; a missing
// or stale lib/ is never used, and never silently (build/compiled.mjs decides, bin.mjs says so).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleReason } from '../build/compiled.mjs';
import { runCli } from './helpers/cli.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

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

  it('reads a build\'s options and manuscripts without loading what only rendering needs (pdf-lib, puppeteer, epub-gen-memory, fontkit)', () => {
    // A resolve hook reports every package the compiled modules ask for, outside node_modules' own imports.
    const hook = `data:text/javascript,${encodeURIComponent(`export async function resolve(specifier, context, next) {
      if (!/^[.\\/]|^node:|^file:/.test(specifier) && !context.parentURL?.includes('/node_modules/')) console.error('IMPORT ' + specifier);
      return next(specifier, context);
    }`)}`;
    const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hook)});`)}`;
    const result = spawnSync(process.execPath, ['--import', register, '--input-type=module', '-e', "await import('./lib/commands/build.js'); await import('./lib/model/load.js');"], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const packages = [...result.stderr.matchAll(/^IMPORT (\S+)/gm)].map((match) => match[1]);
    expect(packages).toContain('markdown-it');
    expect(packages.filter((name) => /^(pdf-lib|puppeteer|epub-gen-memory|fontkit|subset-font)/.test(name))).toEqual([]);
  });

  it('serves the preview\'s own scripts (they are not compiled: read from build/, not lib/)', async () => {
    const preview = spawn(process.execPath, ['build/bin.mjs', 'preview', DEFAULT_ARTICLE, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        preview.stderr.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(output);
          if (found) resolve(found[0]);
        });
        preview.on('exit', () => reject(new Error(`preview exited: ${output}`)));
      });
      for (const script of ['__banmian/preview.js', '__banmian/frame.js']) {
        const response = await fetch(url + script);
        expect(response.status, script).toBe(200);
        expect((await response.text()).length, script).toBeGreaterThan(100);
      }
    } finally {
      const exited = new Promise((resolve) => preview.on('exit', resolve));
      preview.kill('SIGINT');
      await exited;
    }
  }, 60_000);
});
