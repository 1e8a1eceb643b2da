// `banmian build [dir…]`: argv → BuildOptions, then the core build.
import path from 'node:path';
import { build, FORMATS } from '../core/build.ts';
import { UsageError } from '../errors.ts';
import { log } from '../log.ts';
import { parseCommandArgs, parseList, parsePreset, parsePress, presetOption } from './args.ts';
import type { Command } from './command.ts';

const USAGE = 'banmian build [dir…] [--format pdf,epub,html] [--out dist] [--preset broadsheet|tabloid|a4] [--crop-marks] [--bleed 3mm] [--browser-endpoint ws://…] [--jobs N] [--timeout 120] [--fit] [--pdfx x4|x1a] [--output-profile press.icc] [--max-ink 240]';

export const buildCommand: Command = {
  summary: 'typeset articles into dist/<slug>.pdf and dist/<slug>.epub (and .html on request)',
  usage: USAGE,
  async run(argv, signal) {
    const { values, positionals } = parseCommandArgs(argv, {
      format: { type: 'string', default: 'pdf,epub' },
      out: { type: 'string', default: 'dist' },
      preset: presetOption,
      'crop-marks': { type: 'boolean', default: false },
      bleed: { type: 'string' },
      'browser-endpoint': { type: 'string' },
      timeout: { type: 'string', default: '120' },
      jobs: { type: 'string' },
      pdfx: { type: 'string' },
      'output-profile': { type: 'string' },
      'max-ink': { type: 'string' },
      fit: { type: 'boolean', default: false },
    }, USAGE);
    const timeout = Number(values.timeout);
    if (!(timeout > 0)) throw new UsageError(`invalid --timeout "${values.timeout}"`, 'Give the longest a render may take, in seconds, e.g. --timeout 120.');
    const endpoint = values['browser-endpoint'] as string | undefined;
    if (endpoint && !/^wss?:\/\//.test(endpoint)) {
      throw new UsageError(`invalid --browser-endpoint "${endpoint}"`, 'Give the browser\'s DevTools WebSocket address, e.g. ws://127.0.0.1:9222/devtools/browser/… or a browserless ws://host:3000?token=….');
    }
    const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
    if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) throw new UsageError(`invalid --jobs "${values.jobs}"`, 'Give how many articles to render at once, e.g. --jobs 2 (default: one per core).');
    const preset = parsePreset(values.preset as string);
    const cropMarks = values['crop-marks'] as boolean;
    const press = await parsePress(values.pdfx as string | undefined, values['output-profile'] as string | undefined, values['max-ink'] as string | undefined);
    const written = await build({
      inputs: positionals.length ? positionals : ['manuscript'],
      formats: parseList(values.format as string, FORMATS, '--format'),
      outDir: path.resolve(values.out as string),
      preset,
      cropMarks,
      // Crop marks (and the press PDF's marks) sit outside the trim, so they bring a 3 mm bleed when none is given.
      bleed: parseBleed(values.bleed as string | undefined) ?? (cropMarks || press ? 3 : 0),
      press,
      browserEndpoint: endpoint,
      timeout: timeout * 1000,
      fit: values.fit as boolean,
      jobs,
      signal,
    });
    for (const file of written) log.info(`wrote ${path.relative(process.cwd(), file)}`);
    return 0;
  },
};

/** `3mm` or `3` → 3 (millimetres). */
function parseBleed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(mm)?$/.exec(value.trim());
  if (!match || Number(match[1]) > 20) throw new UsageError(`invalid --bleed "${value}"`, 'Give the bleed in millimetres, e.g. --bleed 3mm.');
  return Number(match[1]);
}
