// Remote rendering without a shared disk: a Chromium that cannot see the project, the article, the fonts or
// /tmp (its own mount namespace, a fresh tmpfs over each) renders through --browser-endpoint, and the PDF is
// byte-identical to a local build — so the CLI must have sent it the document, fonts and photos itself.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../build/print/chromium.ts';
import { FONT_FACES } from '../build/print/fonts.ts';
import { ROOT, runCli } from './helpers/cli.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';

// The article lives outside the project, as a user's would.
const article = path.join(mkdtempSync(path.join(tmpdir(), 'banmian-remote-article-')), 'changsha');
cpSync(path.join(ROOT, DEFAULT_ARTICLE), article, { recursive: true });

/** Folders the remote Chromium must not see: the project, the article, every font folder, the temporary folders. */
const hidden = [...new Set([ROOT, path.dirname(article), ...FONT_FACES.map((face) => path.dirname(face.file)), tmpdir(), '/tmp'])];

/** A shell script that hides `hidden` behind empty tmpfs mounts, proves it, then becomes Chromium. */
function isolatedChromium(): string {
  const mounts = hidden.map((dir) => `mount -t tmpfs none '${dir}'`).join(' && ');
  const checks = [path.join(ROOT, 'package.json'), path.join(article, 'article.md'), FONT_FACES[0].file, FONT_FACES.at(-1)!.file]
    .map((file) => `test ! -e '${file}'`).join(' && ');
  const args = [...CHROMIUM_ARGS, '--headless=new', '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', '--user-data-dir=/tmp/profile', 'about:blank'];
  return `${mounts} && ${checks} && echo isolated >&2 && exec ${CHROMIUM} ${args.join(' ')}`;
}

describe('--browser-endpoint on a Chromium that cannot read our files', () => {
  let chromium: ChildProcess;
  let endpoint = '';
  let stderr = '';

  beforeAll(async () => {
    // Mounts over the hidden folders are listed longest path first, so a parent never hides its child's mount point.
    hidden.sort((a, b) => b.length - a.length);
    chromium = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', isolatedChromium()], { stdio: ['ignore', 'ignore', 'pipe'] });
    endpoint = await new Promise<string>((resolve, reject) => {
      chromium.stderr!.on('data', (chunk) => {
        stderr += chunk;
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
        if (match) resolve(match[1]);
      });
      chromium.on('exit', (code) => reject(new Error(`isolated chromium exited (${code}): ${stderr}`)));
    });
  });

  afterAll(() => {
    chromium?.kill('SIGKILL');
  });

  it('cannot see the files (the isolation itself is checked before Chromium starts)', () => {
    expect(stderr).toMatch(/^isolated$/m);
    // Seen from inside its mount namespace, the project folder is empty — or not there at all, when it lies
    // under /tmp and the empty /tmp covers it (a checkout in /tmp, as CI may make).
    const inside = spawnSync('nsenter', ['--target', String(chromium.pid), '--mount', 'ls', '-A', ROOT], { encoding: 'utf8' });
    if (inside.status === 0) expect(inside.stdout.trim()).toBe('');
    else expect(inside.stderr).toMatch(/No such file or directory/);
  });

  it('renders a PDF byte-identical to a local build, and leaves the browser running', () => {
    const local = mkdtempSync(path.join(tmpdir(), 'banmian-local-'));
    const remote = mkdtempSync(path.join(tmpdir(), 'banmian-remote-out-'));
    const localRun = runCli(['build', article, '--format', 'pdf', '--out', local]);
    expect(localRun.code, localRun.stderr).toBe(0);
    // No local Chromium could start: the PDF can only come from the remote one.
    const remoteRun = runCli(['build', article, '--format', 'pdf', '--out', remote, '--browser-endpoint', endpoint], {
      env: { ...process.env, NO_COLOR: '1', PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' },
    });
    expect(remoteRun.code, remoteRun.stderr).toBe(0);
    const name = 'changsha.pdf';
    const remotePdf = readFileSync(path.join(remote, name));
    expect(remotePdf.length).toBeGreaterThan(100_000);
    expect(remotePdf.equals(readFileSync(path.join(local, name)))).toBe(true);
    expect(chromium.exitCode).toBeNull();
  });
});
