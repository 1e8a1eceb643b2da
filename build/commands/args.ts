// Argument parsing shared by the subcommands: node's parseArgs, with its errors turned into usage errors.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
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
