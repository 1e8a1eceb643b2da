// Bad input and faults: a clear message and exit code, no stack trace, no Chromium left behind,
// the previous outputs untouched; Ctrl-C mid-render; rendering on a remote Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../build/print/chromium.ts';
import { ROOT, runCli } from './helpers/cli.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';
import { copyDefaultArticle, writeArticle } from './helpers/article.ts';

const PHOTO = readFileSync(path.join(ROOT, 'manuscript/changsha-manufacturing-2025/images/03-supercomputing-center.jpg'));
const figure = (src: string) => `正文第一段。\n\n![照片](${src}){cols=3}\n图片说明。\n记者 某某 摄\n`;

/** Chromium processes whose command line mentions `marker` (each run gets its own TMPDIR). */
function chromiumsWith(marker: string): string[] {
  const result = spawnSync('pgrep', ['-af', marker], { encoding: 'utf8' });
  return result.stdout.split('\n').filter((line) => /chrom/i.test(line) && !line.includes('pgrep'));
}

/** An output folder holding earlier outputs, and a way to check they are unchanged. */
function previousOutputs(slug: string) {
  const out = mkdtempSync(path.join(tmpdir(), 'banmian-out-'));
  const files = { [`${slug}.pdf`]: '%PDF earlier build', [`${slug}.epub`]: 'PK earlier build' };
  for (const [name, contents] of Object.entries(files)) writeFileSync(path.join(out, name), contents);
  return {
    out,
    unchanged: () => {
      expect(readdirSync(out).sort()).toEqual(Object.keys(files).sort());
      for (const [name, contents] of Object.entries(files)) expect(readFileSync(path.join(out, name), 'utf8')).toBe(contents);
    },
  };
}

interface BadInput {
  name: string;
  article: () => string | Promise<string>;
  args?: string[];
  env?: Record<string, string>;
  code: 1 | 2;
  /** What the message must name (file and line, or the option). */
  names: (dir: string) => RegExp | string;
}

const articleFile = (dir: string, line?: number) => `${path.relative(ROOT, path.join(dir, 'article.md'))}${line ? `:${line}:` : ''}`;

const cases: BadInput[] = [
  { name: 'invalid YAML', article: () => writeArticle('title: [标题', '正文。'), code: 1, names: (dir) => articleFile(dir, 2) },
  { name: 'missing title', article: () => writeArticle('byline: 某某', '正文。'), code: 1, names: (dir) => `${articleFile(dir, 2)} 缺少字段 "title"` },
  { name: 'wrong field type', article: () => writeArticle('title: 标题\npages: [1, 2]', '正文。'), code: 1, names: (dir) => `${articleFile(dir, 3)} 字段 "pages"` },
  { name: 'missing image', article: () => writeArticle('title: 标题', figure('images/none.jpg')), code: 1, names: (dir) => `${articleFile(dir, 7)} 图片 images/none.jpg：文件不存在` },
  { name: 'corrupt image', article: () => writeArticle('title: 标题', figure('images/a.jpg'), { 'images/a.jpg': PHOTO.subarray(0, 4000) }), code: 1, names: (dir) => `${articleFile(dir, 7)} 图片 images/a.jpg：图片数据已损坏` },
  { name: 'zero-byte image', article: () => writeArticle('title: 标题', figure('images/a.jpg'), { 'images/a.jpg': '' }), code: 1, names: (dir) => `${articleFile(dir, 7)} 图片 images/a.jpg：文件是空的` },
  { name: 'text file named as an image', article: () => writeArticle('title: 标题', figure('images/a.jpg'), { 'images/a.jpg': '这不是图片' }), code: 1, names: (dir) => `${articleFile(dir, 7)} 图片 images/a.jpg：不是可读的图片` },
  { name: 'image path escaping the folder', article: () => writeArticle('title: 标题', figure('../../etc/passwd')), code: 1, names: (dir) => `${articleFile(dir, 7)} 图片 ../../etc/passwd：路径跑出了稿件文件夹` },
  { name: 'remote image URL', article: () => writeArticle('title: 标题', figure('https://example.com/photo.jpg')), code: 1, names: (dir) => `${articleFile(dir, 7)} 图片 https://example.com/photo.jpg：不能用远程或非文件地址` },
  { name: 'raw <script>', article: () => writeArticle('title: 标题', '正文。\n\n<script>alert(1)</script>\n'), code: 1, names: (dir) => `${articleFile(dir, 7)} 稿件里不能用 HTML` },
  { name: 'onerror= HTML', article: () => writeArticle('title: 标题', '正文<img src=x onerror="alert(1)">。\n'), code: 1, names: (dir) => `${articleFile(dir, 5)} 稿件里不能用 HTML` },
  { name: 'empty article', article: () => writeArticle('title: 标题', '\n'), code: 1, names: (dir) => `${articleFile(dir, 4)} 稿件没有正文` },
  { name: 'article folder that does not exist', article: () => path.join(tmpdir(), 'banmian-no-such-article'), code: 1, names: (dir) => `${dir}: 没有这个文件或文件夹` },
  { name: 'unknown --preset', article: () => writeArticle('title: 标题', '正文。'), args: ['--preset', 'folio'], code: 2, names: () => 'unknown --preset "folio"' },
  { name: 'unknown --format', article: () => writeArticle('title: 标题', '正文。'), args: ['--format', 'pdf,docx'], code: 2, names: () => 'unknown --format "docx"' },
  {
    name: '10 000 × 10 000 px image',
    article: async () => {
      // Made here rather than committed: a 10 000 px square of one colour is a small PNG.
      const dir = writeArticle('title: 标题', figure('images/huge.png'));
      mkdirSync(path.join(dir, 'images'));
      await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#888' } }).png().toFile(path.join(dir, 'images/huge.png'));
      return dir;
    },
    code: 1,
    names: (dir) => `${articleFile(dir, 7)} 图片 images/huge.png：10000 × 10000 像素，太大`,
  },
  { name: 'a browser that cannot start', article: () => writeArticle('title: 标题', '正文。'), env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' }, code: 1, names: () => 'cannot start Chromium (/nonexistent/chromium)' },
  { name: 'an unreachable --browser-endpoint', article: () => writeArticle('title: 标题', '正文。'), args: ['--browser-endpoint', 'ws://127.0.0.1:9/devtools/browser/x'], code: 1, names: () => 'cannot connect to the browser at ws://127.0.0.1:9/' },
];

describe('bad input', () => {
  it.each(cases)('$name: exit $code, names the cause, no trace, no Chromium, outputs intact', async ({ article, args = [], env = {}, code, names }) => {
    const dir = await article();
    const previous = previousOutputs(path.basename(dir));
    const marker = mkdtempSync(path.join(tmpdir(), 'banmian-marker-'));
    const result = runCli(['build', dir, '--out', previous.out, ...args], { env: { ...process.env, NO_COLOR: '1', TMPDIR: marker, ...env } });
    expect(result.code, result.stderr).toBe(code);
    expect(result.stderr).toContain(names(dir));
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(chromiumsWith(marker)).toEqual([]);
    previous.unchanged();
  });
});

describe('faults during a render', () => {
  it('Ctrl-C mid-render: prompt exit, no Chromium left, no partial output', async () => {
    const previous = previousOutputs('changsha-manufacturing-2025');
    const marker = mkdtempSync(path.join(tmpdir(), 'banmian-marker-'));
    const child = spawn(process.execPath, [path.join(ROOT, 'build/bin.mjs'), 'build', copyDefaultArticle(), '--format', 'pdf', '--out', previous.out], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', TMPDIR: marker },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // Interrupt once the browser is up and the page is being laid out.
    await new Promise<void>((resolve) => child.stderr.on('data', () => stderr.includes('browser ') && resolve()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(chromiumsWith(marker).length).toBeGreaterThan(0);
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(Date.now() - interruptedAt).toBeLessThan(5000);
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('interrupted');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(chromiumsWith(marker)).toEqual([]);
    previous.unchanged();
  });

  describe('--browser-endpoint', () => {
    let chromium: ReturnType<typeof spawn>;
    let endpoint = '';

    beforeAll(async () => {
      const profile = mkdtempSync(path.join(tmpdir(), 'banmian-remote-'));
      chromium = spawn(process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium', [
        ...CHROMIUM_ARGS, '--headless=new', '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank',
      ]);
      endpoint = await new Promise<string>((resolve, reject) => {
        let text = '';
        chromium.stderr!.on('data', (chunk) => {
          text += chunk;
          const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
          if (match) resolve(match[1]);
        });
        chromium.on('exit', () => reject(new Error(`chromium exited: ${text}`)));
      });
    });

    afterAll(() => {
      chromium?.kill('SIGKILL');
    });

    it('renders on a running Chromium, byte-identical to a local build, and leaves it running', () => {
      const local = mkdtempSync(path.join(tmpdir(), 'banmian-local-'));
      const remote = mkdtempSync(path.join(tmpdir(), 'banmian-remote-out-'));
      expect(endpoint).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\//);
      expect(runCli(['build', DEFAULT_ARTICLE, '--format', 'pdf', '--out', local]).code).toBe(0);
      const result = runCli(['build', DEFAULT_ARTICLE, '--format', 'pdf', '--out', remote, '--browser-endpoint', endpoint]);
      expect(result.code, result.stderr).toBe(0);
      const name = 'changsha-manufacturing-2025.pdf';
      expect(readFileSync(path.join(remote, name)).equals(readFileSync(path.join(local, name)))).toBe(true);
      expect(chromium.exitCode).toBeNull();
      expect(chromium.killed).toBe(false);
    });
  });
});
