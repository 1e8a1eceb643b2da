// The CLI exits only after its Chromium is gone: the moment `banmian build` has exited, no process of the
// browser it started is left — not the main process, not a zygote or a renderer lingering for a second — and
// no profile folder either.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

/**
 * Processes whose environment carries `marker`. Every process Chromium starts inherits the CLI's environment,
 * whatever its command line says, so this finds all of them (the tests run as root and may read any environ).
 */
function processesWith(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker)) continue;
      found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim()}`);
    } catch {
      // The process ended while being read.
    }
  }
  return found;
}

describe('no Chromium left behind', () => {
  it.each([
    ['a build that succeeds', ['--format', 'pdf'], 0],
    // 10 ms: loading the document alone takes longer (half a second no longer did: the render got faster).
    ['a build that fails in Chromium (render timeout)', ['--format', 'pdf', '--timeout', '0.01'], 1],
  ])('%s', async (_, args, expectedCode) => {
    const marker = `BANMIAN_RUN=${randomUUID()}`;
    // The run's own temporary folder: Chromium's profile is made there, and must be gone with it.
    const temporary = mkdtempSync(path.join(tmpdir(), 'banmian-leftover-tmp-'));
    const child = spawn(process.execPath, [path.join(ROOT, 'build/bin.mjs'), 'build', DEFAULT_ARTICLE, '--out', mkdtempSync(path.join(tmpdir(), 'banmian-leftover-')), ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', TMPDIR: temporary, [marker.split('=')[0]]: marker.split('=')[1] },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // While the build runs, the marker does find its browser: the check below can fail.
    let most = 0;
    const watch = setInterval(() => {
      most = Math.max(most, processesWith(marker).filter((line) => /chrom/i.test(line)).length);
    }, 50);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const left = processesWith(marker);
    const profiles = readdirSync(temporary).filter((name) => name.startsWith('banmian-chromium-'));
    clearInterval(watch);
    expect(code, stderr).toBe(expectedCode);
    expect(most).toBeGreaterThan(1);
    expect(left).toEqual([]);
    expect(profiles).toEqual([]);
  });
});
