// scripts/setup.sh is idempotent: on a machine it has already set up, it installs nothing and touches nothing.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.ts';

describe('scripts/setup.sh', () => {
  it('a second run changes nothing', () => {
    const lockStamp = statSync(`${ROOT}/node_modules/.package-lock.json`).mtimeMs;
    const result = spawnSync('bash', ['scripts/setup.sh'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('installing');
    expect(result.stdout).toMatch(/^setup: ready \(chromium \d+/m);
    expect(statSync(`${ROOT}/node_modules/.package-lock.json`).mtimeMs).toBe(lockStamp);
  });
});
