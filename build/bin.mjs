#!/usr/bin/env node
// The `banmian` executable. It runs the compiled CLI in lib/ (fast start), made on install by build/compiled.mjs.
// When lib/ is missing or older than a source under build/, it never runs it: it says so on stderr and runs the
// TypeScript sources through tsx instead (same behaviour, slower start) until `npm run compile` is run again.
import { staleReason } from './compiled.mjs';

const stale = staleReason();
let cli;
if (stale) {
  process.stderr.write(`banmian: ${stale}; running the sources through tsx (slow start). Run \`npm run compile\` for the compiled CLI.\n`);
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('./cli.ts');
} else {
  cli = await import('../lib/cli.js');
}
process.exitCode = await cli.main(process.argv.slice(2));
