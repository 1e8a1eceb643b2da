// The compiled CLI: tsc turns build/**/*.ts into plain JavaScript under lib/ (tsconfig.build.json), so a run
// starts without a TypeScript loader. bin.mjs uses lib/ only when it is current; this module says whether it is,
// and, run as a script, compiles (`--if-stale`: only when something changed). `npm install`/`npm ci` (prepare),
// scripts/setup.sh and `npm test` (pretest) all compile through here.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = path.join(ROOT, 'build');
export const COMPILED = path.join(ROOT, 'lib');

/**
 * Why the compiled folder cannot be used — a source without an output at least as new as itself — or
 * undefined when it can. About a millisecond for the whole of build/.
 */
export function staleReason(sources = SOURCES, compiled = COMPILED) {
  for (const file of readdirSync(sources, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
    const output = file.replace(/\.ts$/, '.js');
    const stats = statSync(path.join(compiled, output), { throwIfNoEntry: false });
    if (!stats) return `${path.basename(compiled)}/${output} is missing`;
    if (stats.mtimeMs < statSync(path.join(sources, file)).mtimeMs) return `${path.basename(sources)}/${file} changed after the last compile`;
  }
  return undefined;
}

/** Replaces lib/ with a fresh compile of build/ (no type check here: `npm test` type-checks). */
export function compile() {
  rmSync(COMPILED, { recursive: true, force: true });
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${result.status ?? result.signal})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const reason = process.argv.includes('--if-stale') ? staleReason() : 'asked to';
  if (reason) {
    process.stdout.write(`compiling build/ into lib/ (${reason})\n`);
    compile();
  }
}
