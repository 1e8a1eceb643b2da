#!/usr/bin/env node
// The `banmian` executable: loads the TypeScript CLI through tsx, so no compile step stands between an edit and a run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
