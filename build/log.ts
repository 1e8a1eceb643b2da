// Progress lines on stderr: one per stage, with its time; colour only when the terminal wants it.
import { performance } from 'node:perf_hooks';

const useColor = !process.env.NO_COLOR && process.stderr.isTTY;
const paint = (code: number, text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);

export const log = {
  info: (message: string) => process.stderr.write(`${message}\n`),
  warn: (message: string) => process.stderr.write(`${paint(33, 'warning')} ${message}\n`),
  error: (message: string) => process.stderr.write(`${paint(31, 'error')} ${message}\n`),
  dim: (text: string) => paint(2, text),
};

/** Runs one stage and prints `label … 1.23 s` when it ends. */
export async function timed<T>(label: string, stage: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await stage();
  log.info(`${label} ${log.dim(`${((performance.now() - start) / 1000).toFixed(2)} s`)}`);
  return result;
}
