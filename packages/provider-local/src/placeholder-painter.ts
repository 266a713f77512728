import type { Palette } from './palette.js';
import type { SeededRandom } from './seeded-random.js';

/** The looks a placeholder model can have; each model id maps to one. */
export type PlaceholderStyle = 'gradient' | 'blocks';

export interface PainterInput {
  width: number;
  height: number;
  random: SeededRandom;
  palette: Palette;
}

/**
 * Paints an RGB image a band of rows at a time, so the caller can yield to the
 * event loop (and notice an abort) between bands. All layout is decided when the
 * painter is created; `paintRows` only fills pixels.
 */
export interface PlaceholderPainter {
  /** Fills rows [fromRow, toRow) of `target`, a width * height * 3 RGB buffer. */
  paintRows(target: Uint8ClampedArray, fromRow: number, toRow: number): void;
}
