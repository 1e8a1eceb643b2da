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
/** Line spacing of the body, in body sizes. */
const LEADING = 1.5;
/**
 * A hair (points) added to the measure: a line that fills it exactly must fit wherever the column stands on
 * the page (at a fractional position Chromium rounds 13 characters of 12.0015 px over 156 px and breaks a line
 * early that the layout plan measured whole).
 */
const HAIR = 0.05;
/** The widest gutter, in body characters, before the measure is narrowed instead. */
const MAX_GUTTER = 1.5;

/** The preset's grid: every column a whole number of body characters, every line on a baseline grid. */
export interface Grid {
  columns: number;
  /** Body characters a column line holds. */
  columnChars: number;
  /** All in points. */
  bodySize: number;
  leading: number;
  columnWidth: number;
  gutter: number;
  /** The type area: the columns and gutters, and a whole number of body lines tall. */
  typeWidth: number;
  typeHeight: number;
  /** Body lines a full column holds. */
  lines: number;
  /** The page margins (mm) that give that type area, centred where the measure was narrowed. */
  margin: { top: number; right: number; bottom: number; left: number };
}

export function grid(preset: Preset): Grid {
  const { columns, bodySize, margin } = preset;
  const leading = bodySize * LEADING;
  const available = (preset.width - margin.left - margin.right) / MM_PER_PT;
  const columnChars = Math.floor((available - (columns - 1) * bodySize) / columns / bodySize);
  const columnWidth = columnChars * bodySize + HAIR;
  let gutter = columns > 1 ? (available - columns * columnWidth) / (columns - 1) : 0;
  if (gutter > MAX_GUTTER * bodySize) gutter = bodySize;
  const typeWidth = columns * columnWidth + (columns - 1) * gutter;
  const side = (available - typeWidth) * MM_PER_PT / 2;
  const lines = Math.floor((preset.height - margin.top - margin.bottom) / MM_PER_PT / leading);
  const typeHeight = lines * leading;
  return {
    columns, columnChars, bodySize, leading, columnWidth, gutter, typeWidth, typeHeight, lines,
    margin: {
      top: margin.top,
      right: margin.right + side,
      bottom: preset.height - margin.top - typeHeight * MM_PER_PT,
      left: margin.left + side,
    },
  };
}

/** The columns a figure written as `{cols=N}` spans on this preset's page (at least one). */
export function placedColumns(preset: Preset, cols: number): number {
  return Math.max(1, Math.min(preset.columns, Math.floor((cols * preset.columns) / REFERENCE_COLUMNS)));
}

/** Width in millimetres of a figure written as `{cols=N}`, on this preset's page. */
export function spanWidthMm(preset: Preset, cols: number): number {
  const span = placedColumns(preset, cols);
  const { columnWidth, gutter } = grid(preset);
  return (span * columnWidth + (span - 1) * gutter) * MM_PER_PT;
}
