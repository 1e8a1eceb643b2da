// Argument parsing shared by the subcommands: node's parseArgs, with its errors turned into usage errors.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { DEFAULT_MAX_INK, DEFAULT_OUTPUT_PROFILE, PDFX_STANDARDS, readOutputProfile, type PdfxStandard } from '../print/pdfx.ts';
import { DEFAULT_PRESET, PRESETS, type PresetName } from '../print/presets.ts';

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0].replace(/\.$/, ''), `Usage: ${usage}`);
  }
}

/** Splits `pdf,epub` into known values, naming the first unknown one. */
export function parseList<T extends string>(value: string, known: readonly T[], option: string): T[] {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  const unknown = items.find((item) => !known.includes(item as T));
  if (unknown || !items.length) {
    throw new UsageError(`unknown ${option} "${unknown ?? value}"`, `Choose from: ${known.join(', ')}.`);
  }
  return items as T[];
}

/** The `--preset` option, shared by the commands that lay out pages. */
export const presetOption = { type: 'string', default: DEFAULT_PRESET } as const;

export function parsePreset(value: string): PresetName {
  if (!Object.hasOwn(PRESETS, value)) throw new UsageError(`unknown --preset "${value}"`, `Choose from: ${Object.keys(PRESETS).join(', ')}.`);
  return value as PresetName;
}

/** `--pdfx x4|x1a` with its `--output-profile` and `--max-ink`; these two need --pdfx. */
export async function parsePress(standard: string | undefined, profile: string | undefined, maxInk: string | undefined) {
  if (standard === undefined) {
    if (profile !== undefined || maxInk !== undefined) {
      throw new UsageError(`--${profile !== undefined ? 'output-profile' : 'max-ink'} needs --pdfx`, 'Add --pdfx x4 (or x1a) to write the press PDF.');
    }
    return undefined;
  }
  if (!(PDFX_STANDARDS as readonly string[]).includes(standard)) {
    throw new UsageError(`invalid --pdfx "${standard}"`, `Give one of ${PDFX_STANDARDS.join(', ')}: x4 for PDF/X-4, x1a for PDF/X-1a:2003.`);
  }
  const ink = maxInk === undefined ? DEFAULT_MAX_INK : Number(maxInk.replace(/%$/, ''));
  if (!(ink >= 100 && ink <= 400)) {
    throw new UsageError(`invalid --max-ink "${maxInk}"`, 'Give the total ink limit in per cent, 100–400: 240 for newsprint, 300–340 for coated offset.');
  }
  return { standard: standard as PdfxStandard, profile: await readOutputProfile(profile ?? DEFAULT_OUTPUT_PROFILE), maxInk: ink };
}
