// The external tools of the press stage: Debian's Ghostscript (`gs`), Little CMS's `linkicc` and `tificc`,
// and poppler's `pdfimages` (where each photo is placed).
// One place runs them, so a missing tool or a failed run reads the same everywhere.
import { spawn } from 'node:child_process';
import { UserError } from '../errors.ts';

/** The Debian package that brings each tool. */
const PACKAGES = { gs: 'ghostscript', linkicc: 'liblcms2-utils', tificc: 'liblcms2-utils', pdfimages: 'poppler-utils' } as const;

/** The folder of the ICC profiles Debian's Ghostscript ships. */
export const GHOSTSCRIPT_ICC_DIR = '/usr/share/color/icc/ghostscript';

/**
 * Runs `tool` with `args` and resolves to its standard output when it exits with 0; anything else is a
 * UserError carrying its last lines of output. Aborting `signal` kills the process.
 */
export function runTool(tool: keyof typeof PACKAGES, args: string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stdout = '';
    let output = '';
    const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-4000); };
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); keep(chunk); });
    child.stderr.on('data', keep);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(new UserError(`${tool} is not installed; press PDF output needs it`, {
          hint: `Run ./scripts/setup.sh (it installs the Debian package ${PACKAGES[tool]}).`,
        }));
      } else {
        reject(error);
      }
    });
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else if (!signal?.aborted) {
        reject(new UserError(`${tool} failed (exit ${code}): ${output.trim().split('\n').slice(-6).join(' | ')}`, {
          hint: 'Look at the message above; a damaged output profile or image is the usual cause.',
        }));
      }
    });
  });
}
