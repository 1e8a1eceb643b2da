// Page presets: trim size, margins and the column grid of each newspaper format.
import { z } from 'zod';

const mm = z.number().positive();

export const presetSchema = z.object({
  name: z.string(),
  label: z.string(),
  /** Trim size in millimetres. */
  width: mm,
  height: mm,
  margin: z.object({ top: mm, right: mm, bottom: mm, left: mm }),
  columns: z.number().int().positive(),
  /** Body size in points; the column gutter is one body character (one em). */
  bodySize: z.number().positive(),
  /** Size of the headline (主题) in points. */
  titleSize: z.number().positive(),
});

export type Preset = z.infer<typeof presetSchema>;

export const PRESETS = {
  broadsheet: presetSchema.parse({
    name: 'broadsheet', label: '对开', width: 390, height: 546,
    margin: { top: 18, right: 17, bottom: 20, left: 17 }, columns: 8, bodySize: 9, titleSize: 80,
  }),
  tabloid: presetSchema.parse({
    name: 'tabloid', label: '四开', width: 273, height: 390,
    margin: { top: 15, right: 13, bottom: 16, left: 13 }, columns: 6, bodySize: 9, titleSize: 60,
  }),
  a4: presetSchema.parse({
    name: 'a4', label: 'A4 校样', width: 210, height: 297,
    margin: { top: 15, right: 12, bottom: 15, left: 12 }, columns: 4, bodySize: 9, titleSize: 36,
  }),
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const DEFAULT_PRESET: PresetName = 'broadsheet';

const MM_PER_PT = 25.4 / 72;
/** A figure's `{cols=N}` counts columns of the broadsheet grid; smaller pages scale it down. */
const REFERENCE_COLUMNS = 8;

/** The columns a figure written as `{cols=N}` spans on this preset's page (at least one). */
export function placedColumns(preset: Preset, cols: number): number {
  return Math.max(1, Math.min(preset.columns, Math.floor((cols * preset.columns) / REFERENCE_COLUMNS)));
}

/** Width in millimetres of a figure written as `{cols=N}`, on this preset's page. */
export function spanWidthMm(preset: Preset, cols: number): number {
  const span = placedColumns(preset, cols);
  const gutter = preset.bodySize * MM_PER_PT;
  const textWidth = preset.width - preset.margin.left - preset.margin.right;
  const column = (textWidth - (preset.columns - 1) * gutter) / preset.columns;
  return span * column + (span - 1) * gutter;
}
