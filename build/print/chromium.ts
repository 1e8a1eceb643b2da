// Starts our own Chromium without puppeteer: the process starts at once, while puppeteer (~0.2 s to load) and
// the rest of the PDF stage load, and puppeteer then connects over the DevTools pipe as its own launch does.
// Before, Chromium started only once puppeteer had loaded: ~0.2 s of every CLI build. The flags are those
// puppeteer's launch would pass (a test holds them equal to puppeteer.defaultArgs), and the profile is a fresh
// temporary folder, removed with the browser — also when the process exits on any path.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { ConnectionTransport } from 'puppeteer';

/** puppeteer.defaultArgs({ headless: 'new' }) of the puppeteer we depend on, without its first URL. */
export const PUPPETEER_FLAGS = [
  '--allow-pre-commit-input',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--disable-features=Translate,BackForwardCache,AcceptCHFrame,MediaRouter,OptimizationHints',
  '--disable-hang-monitor',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--disable-sync',
  '--enable-automation',
  '--enable-blink-features=IdleDetection',
  '--enable-features=NetworkServiceInProcess2',
  '--export-tagged-pdf',
  '--force-color-profile=srgb',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--headless=new',
  '--hide-scrollbars',
  '--mute-audio',
];

/** Ours, after puppeteer's. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--export-tagged-pdf',
  // File URLs as one origin: a page reused for the next render keeps the faces it has loaded and decoded. Each
  // file: document is an origin of its own otherwise, and loads and decodes its faces again (the floor's warm
  // render of the default article 0.1 → 0.35 s, the PDF stage's 0.38 → 0.5 s).
  '--allow-file-access-from-files',
  '--font-render-hinting=none',
];

/** What Chromium last wrote on stderr, for the error when it fails to start. */
const STDERR_KEPT = 2000;

export interface StartedChromium {
  process: ChildProcess;
  /** The DevTools pipe, for puppeteer.connect({ transport }). */
  transport: ConnectionTransport;
  /** Rejects when Chromium cannot start or ends before `connected()`: with what it said on stderr. */
  failed: Promise<never>;
  /** Tells `failed` that the browser is connected: an end from now on is the browser's release. */
  connected(): void;
  /** Kills every process of it, waits until all have ended, closes its pipes and removes its profile; once. */
  stop(): Promise<void>;
}

/** The Chromium to start: Debian's, unless PUPPETEER_EXECUTABLE_PATH names another. */
export const chromiumPath = () => process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';

/**
 * Starts Chromium (its own process group, so that all of it can be killed) with the DevTools pipe on fds 3 and
 * 4. It opens its first window as it starts (about:blank), which the first render then uses.
 */
export function startChromium(): StartedChromium {
  const profile = mkdtempSync(path.join(tmpdir(), 'banmian-chromium-'));
  // CHROMIUM_ARGS repeats some of puppeteer's: it also starts Chromiums that get none of puppeteer's (the tests' remote one).
  const flags = [...new Set([...PUPPETEER_FLAGS, ...CHROMIUM_ARGS])];
  const child = spawn(chromiumPath(), [...flags, '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  let said = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    said = (said + chunk.toString('utf8')).slice(-STDERR_KEPT);
  });
  // Nothing of it outlives us: killed with its group and its profile removed when the process exits.
  const onExit = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    rmSync(profile, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  let connected = false;
  const failed = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!connected) reject(new Error(`Chromium exited (${signal ?? code}) before it could be used${said.trim() ? `: ${said.trim().split('\n').at(-1)}` : ''}`));
    });
  });
  failed.catch(() => undefined);
  let stopped: Promise<void> | undefined;
  return {
    process: child,
    transport: new PipeTransport(child.stdio[3] as Writable, child.stdio[4] as Readable),
    failed,
    connected: () => {
      connected = true;
    },
    stop: () => (stopped ??= (async () => {
      if (child.pid !== undefined) await killGroup(child.pid);
      process.off('exit', onExit);
      // Pipes of a Chromium that never started (or whose processes are gone) would keep Node running.
      for (const stream of child.stdio) stream?.destroy();
      rmSync(profile, { recursive: true, force: true });
    })()),
  };
}

/** Longest wait for a killed process group to be gone (they go within milliseconds). */
const GROUP_EXIT_MS = 5000;

/** Kills the process group and waits until no process of it runs: the main process may end before its zygote and renderers. */
async function killGroup(group: number): Promise<void> {
  if (!groupRuns(group)) return;
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // Gone in the meantime.
  }
  for (const start = Date.now(); groupRuns(group) && Date.now() - start < GROUP_EXIT_MS;) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Whether a process of `group` still runs. A killed renderer whose parent has exited is adopted by PID 1 and
 * stays a zombie until PID 1 reaps it — at once under systemd, only every second or two under some container
 * inits — but a zombie has already ended: it holds no memory, no files, nothing but its exit status. So on
 * Linux a group whose members are all zombies is gone (/proc/<pid>/stat: state, then parent, then group).
 */
function groupRuns(group: number): boolean {
  try {
    process.kill(-group, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    } catch {
      continue;
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === group && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

/** DevTools messages over Chromium's pipe: JSON, each ended by a NUL byte. */
class PipeTransport implements ConnectionTransport {
  onmessage?: (message: string) => void;
  private pending: Buffer[] = [];
  private closed = false;
  private closeListener?: () => void;

  constructor(private readonly out: Writable, input: Readable) {
    input.on('data', (chunk: Buffer) => this.read(chunk));
    input.on('close', () => {
      this.closed = true;
      this.closeListener?.();
    });
    // A write after Chromium has gone is answered by puppeteer's own close handling.
    out.on('error', () => undefined);
  }

  /** puppeteer's connection listens here; a pipe closed before it did (Chromium never started) tells it at once. */
  set onclose(listener: (() => void) | undefined) {
    this.closeListener = listener;
    if (this.closed && listener) queueMicrotask(listener);
  }

  get onclose(): (() => void) | undefined {
    return this.closeListener;
  }

  send(message: string): void {
    this.out.write(`${message}\0`);
  }

  close(): void {
    this.out.end();
  }

  private read(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      const message = Buffer.concat([...this.pending, chunk.subarray(start, end)]).toString('utf8');
      this.pending = [];
      start = end + 1;
      this.onmessage?.(message);
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }
}
