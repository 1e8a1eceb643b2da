// The preview server without a browser: what it serves and refuses (real curl), where it listens, debouncing, and Ctrl-C.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { resolveServedFile } from '../build/preview/files.ts';
import { startPreview, type PreviewServer, type PreviewState } from '../build/preview/server.ts';
import { ROOT } from './helpers/cli.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

/** A scratch copy of the default article, with a symlink that points out of it. */
function articleCopy(): { work: string; dir: string } {
  const work = mkdtempSync(path.join(tmpdir(), 'banmian-preview-'));
  const dir = path.join(work, 'article');
  cpSync(path.join(ROOT, DEFAULT_ARTICLE), dir, { recursive: true });
  writeFileSync(path.join(work, 'secret.txt'), 'outside the article\n');
  symlinkSync(path.join(work, 'secret.txt'), path.join(dir, 'images', 'leak.txt'));
  symlinkSync('/etc', path.join(dir, 'etc'));
  return { work, dir };
}

/** Real curl, with the path sent exactly as written (asynchronous: the server under test runs in this process). */
function curl(url: string, ...options: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    execFile('curl', ['--silent', '--path-as-is', '--max-time', '10', '--write-out', '\n%{http_code}', ...options, url], { encoding: 'utf8' }, (_, stdout) => {
      const cut = stdout.lastIndexOf('\n');
      resolve({ status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) });
    });
  });
}

/** Local addresses listening on `port`, from the kernel's own table. */
function listeners(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)
    .map((row) => row.trim().split(/\s+/))
    .filter((fields) => fields[1]?.endsWith(`:${hex}`) && fields[3] === '0A')
    .map((fields) => fields[1].split(':')[0].match(/../g)!.reverse().map((byte) => parseInt(byte, 16)).join('.'));
}

/** Every process below `pid`, from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const [child, of] of parents) {
      if (of !== parent) continue;
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** The command line of a live process, or '' once it is gone. */
function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

describe('resolveServedFile', () => {
  const mounts = { article: path.join(ROOT, DEFAULT_ARTICLE), project: ROOT };

  it('serves a file of a mount', async () => {
    expect(await resolveServedFile('/article/article.md?x=1', mounts)).toBe(path.join(ROOT, DEFAULT_ARTICLE, 'article.md'));
    expect(await resolveServedFile('/project/styles/preview.css', mounts)).toBe(path.join(ROOT, 'styles/preview.css'));
  });

  it.each([
    '/article/../../package.json',
    '/article/%2e%2e/%2e%2e/package.json',
    '/article/%2E%2E%2F%2E%2E%2Fpackage.json',
    '/article/..%2f..%2fpackage.json',
    '/article/..%5c..%5cpackage.json',
    '//etc/passwd',
    '/etc/passwd',
    '/article//etc/passwd',
    '/article/%2fetc%2fpasswd',
    '/article/images',
    '/project/.git/config',
    '/project/%2egit/config',
    '/article/images/%00.jpg',
    '/article/%E0%A4%A',
    'http://127.0.0.1/article/article.md',
  ])('refuses %s', async (raw) => {
    expect(await resolveServedFile(raw, mounts)).toBeUndefined();
  });
});

describe('preview server', () => {
  let work: string;
  let dir: string;
  let preview: PreviewServer;

  beforeAll(async () => {
    ({ work, dir } = articleCopy());
    preview = await startPreview({ dir, port: 0, preset: 'broadsheet' });
  });

  afterAll(async () => {
    await preview?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only', () => {
    expect(preview.url).toBe(`http://127.0.0.1:${preview.port}/`);
    expect(listeners(preview.port)).toEqual(['127.0.0.1']);
  });

  it('serves the page, the document, the article\'s files and the project\'s styles', async () => {
    expect(await curl(preview.url)).toMatchObject({ status: 200, body: expect.stringContaining('检查结果') });
    expect(await curl(`${preview.url}__banmian/document.html`)).toMatchObject({ status: 200, body: expect.stringContaining('长沙制造攀「高」逐「新」') });
    expect((await curl(`${preview.url}article/article.md`)).body).toBe(readFileSync(path.join(dir, 'article.md'), 'utf8'));
    expect((await curl(`${preview.url}project/styles/preview.css`)).status).toBe(200);
  });

  it('serves every file the document refers to, from the project\'s folders (a Debian font by its own key only)', async () => {
    const html = (await curl(`${preview.url}__banmian/document.html`)).body;
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"|url\("([^"]+)"\)/g)].map((match) => match[1] ?? match[2]);
    expect(urls.length).toBeGreaterThan(10);
    for (const url of urls) expect((await curl(`http://127.0.0.1:${preview.port}${url}`, '--output', '/dev/null')).status, url).toBe(200);
    expect(urls.filter((url) => url.startsWith('/__banmian/asset/'))).toEqual([expect.stringMatching(/LXGWWenKai-Regular\.ttf$/)]);
  });

  it.each([
    '/../../../../etc/passwd',
    '/article/../../../../../../etc/passwd',
    '/article/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/article/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/project/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '//etc/passwd',
    '/etc/passwd',
    '/article//etc/passwd',
    '/article/%2fetc%2fpasswd',
    '/article/etc/passwd',
    '/article/images/leak.txt',
    '/article/%2e%2e/secret.txt',
    '/article/',
    '/article/images/',
    '/project/.git/HEAD',
    '/__banmian/asset/0000000000000000/passwd',
  ])('curl --path-as-is %s gets nothing from outside', async (target) => {
    const { status, body } = await curl(`http://127.0.0.1:${preview.port}${target}`);
    expect(status).toBe(404);
    expect(body).not.toMatch(/root:|outside the article|ref: refs|Index of/);
  });

  it('answers only to its own host name (no DNS rebinding)', async () => {
    expect((await curl(preview.url, '-H', 'Host: evil.example')).status).toBe(403);
  });

  it('debounces a burst of saves into one render, and shows a broken save as an error until the next good one', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${preview.port}/__banmian/events`, { origin: `http://127.0.0.1:${preview.port}` });
    const states: PreviewState[] = [];
    socket.on('message', (data) => states.push((JSON.parse(String(data)) as { state: PreviewState }).state));
    await new Promise((resolve) => socket.once('open', resolve));
    await expect.poll(() => states.length).toBe(1);
    const first = states[0].version;
    const file = path.join(dir, 'article.md');
    const source = readFileSync(file, 'utf8');
    for (let save = 1; save <= 5; save++) {
      writeFileSync(file, source.replace('中联智慧产业城里', `中联智慧产业城里${'又'.repeat(save)}`));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await expect.poll(() => states.at(-1)?.version, { timeout: 5000 }).toBe(first + 1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    // One render for five saves (a state is sent for the render, then again when its check findings are in).
    expect([...new Set(states.map((state) => state.version))]).toEqual([first, first + 1]);
    expect((await curl(`${preview.url}__banmian/document.html`)).body).toContain('中联智慧产业城里又又又又又');

    writeFileSync(file, source.replace(/^title: .*\n/m, ''));
    await expect.poll(() => states.at(-1)?.error?.message, { timeout: 5000 }).toMatch(/title/);
    expect(states.at(-1)).toMatchObject({ version: first + 1, error: { file: expect.stringMatching(/article\.md$/), line: expect.any(Number) } });
    writeFileSync(file, source);
    await expect.poll(() => states.at(-1)?.version, { timeout: 5000 }).toBe(first + 2);
    expect(states.at(-1)?.error).toBeUndefined();
    socket.close();
  });

  it('re-renders when an image is replaced, and serves the new image', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${preview.port}/__banmian/events`, { origin: `http://127.0.0.1:${preview.port}` });
    const versions: number[] = [];
    socket.on('message', (data) => versions.push((JSON.parse(String(data)) as { state: PreviewState }).state.version));
    // The state on connect; the check and the thumbnails of that version may follow with the same number.
    await expect.poll(() => versions.length).toBeGreaterThan(0);
    const image = path.join(dir, 'images', '01-zoomlion-excavators.jpg');
    const replacement = readFileSync(path.join(dir, 'images', '02-advanced-manufacturing.jpg'));
    writeFileSync(image, replacement);
    await expect.poll(() => versions.at(-1), { timeout: 5000 }).toBe(versions[0] + 1);
    const served = await new Promise<Buffer>((resolve) => {
      execFile('curl', ['--silent', `${preview.url}article/images/01-zoomlion-excavators.jpg`], { encoding: 'buffer', maxBuffer: 64 << 20 }, (_, stdout) => resolve(stdout));
    });
    expect(served.equals(replacement)).toBe(true);
    socket.close();
  });

  it('re-renders when a stylesheet of the project is saved', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${preview.port}/__banmian/events`, { origin: `http://127.0.0.1:${preview.port}` });
    const versions: number[] = [];
    socket.on('message', (data) => versions.push((JSON.parse(String(data)) as { state: PreviewState }).state.version));
    // The state on connect; the check and the thumbnails of that version may follow with the same number.
    await expect.poll(() => versions.length).toBeGreaterThan(0);
    // Saved unchanged (only its time moves), so nobody else working in this tree sees a difference.
    const now = new Date();
    utimesSync(path.join(ROOT, 'styles/preview.css'), now, now);
    await expect.poll(() => versions.at(-1), { timeout: 5000 }).toBe(versions[0] + 1);
    socket.close();
  });

  it('refuses a WebSocket from another origin', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${preview.port}/__banmian/events`, { origin: 'http://evil.example' });
    await expect(new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))).rejects.toThrow();
  });
});

describe('banmian preview (the command)', () => {
  it('prints its address, and Ctrl-C stops it: listener, open sockets and the check\'s Chromium all gone', async () => {
    const { work, dir } = articleCopy();
    // A copyfit target makes the check paginate in Chromium, so Ctrl-C has a browser to clean up.
    const file = path.join(dir, 'article.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: /m, 'pages: 1\ntitle: '));
    const child = spawn(process.execPath, [path.join(ROOT, 'build/bin.mjs'), 'preview', dir, '--port', '0'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    try {
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      await expect.poll(() => /at (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(stderr), { timeout: 30_000 }).toBeTruthy();
      const [, url, port] = /at (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(stderr)!;
      const socket = new WebSocket(`ws://127.0.0.1:${port}/__banmian/events`, { origin: url.slice(0, -1) });
      await new Promise((resolve) => socket.once('open', resolve));
      await expect.poll(() => descendants(child.pid!).some((pid) => commandOf(pid).includes('chromium')), { timeout: 30_000, interval: 50 }).toBe(true);
      const seen = descendants(child.pid!);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stderr).toContain('preview stopped');
      expect(listeners(Number(port))).toEqual([]);
      expect((await curl(url)).status).toBe(0);
      expect(seen.filter((pid) => commandOf(pid))).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('a port in use is a clear error, exit 1', async () => {
    const { work, dir } = articleCopy();
    const busy = await startPreview({ dir, port: 0, preset: 'broadsheet' });
    try {
      const result = spawnSync(process.execPath, [path.join(ROOT, 'build/bin.mjs'), 'preview', dir, '--port', String(busy.port)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`port ${busy.port} is already in use`);
    } finally {
      await busy.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
