import { createBlocksPainter } from './blocks-painter.js';
import { createGradientPainter } from './gradient-painter.js';
import { createPalette } from './palette.js';
import type { PlaceholderPainter, PlaceholderStyle } from './placeholder-painter.js';
import { drawPlaceholderMark, placeholderMarkTop } from './placeholder-mark.js';
import { SeededRandom, hashString } from './seeded-random.js';

/**
 * Everything one placeholder image depends on. The prompt picks the palette, the
 * model the look, and (model, prompt, seed) the layout; the size only sets the
 * resolution, because layout is measured in units of the shorter side.
 */
export interface PlaceholderRequest {
  model: string;
  style: PlaceholderStyle;
  prompt: string;
  seed: number;
  width: number;
  height: number;
}

export interface PreparedPlaceholder extends PlaceholderPainter {
  /** Stamps the "UIG PLACEHOLDER / SEED n" plate over finished pixels of `channels` (3 or 4). */
  drawMark(target: Uint8Array | Uint8ClampedArray, channels: number): void;
  /** The first row `drawMark` changes: the rows above it are final once painted. */
  markTop: number;
}

/** Seeds fit in a signed 32-bit integer, the narrowest range vendors accept, so a derived seed can be sent anywhere. */
export function seedFromPrompt(prompt: string): number {
  return hashString(prompt, 0x5eed) >>> 1;
}

export function preparePlaceholder(request: PlaceholderRequest): PreparedPlaceholder {
  const promptHash = hashString(request.prompt);
  const random = new SeededRandom(hashString(`${request.model}\u0000${request.seed}`, promptHash));
  const palette = createPalette(promptHash, random);
  const input = { width: request.width, height: request.height, random, palette };
  const painter = request.style === 'blocks' ? createBlocksPainter(input) : createGradientPainter(input);
  const lines = ['UIG PLACEHOLDER', `SEED ${request.seed}`];
  return {
    paintRows: (target, fromRow, toRow) => painter.paintRows(target, fromRow, toRow),
    drawMark(target, channels) {
      drawPlaceholderMark(target, { width: request.width, height: request.height, channels }, lines);
    },
    markTop: placeholderMarkTop(request, lines),
  };
}

/** About a quarter megapixel per band: a few milliseconds of work between chances to yield. */
const pixelsPerBand = 1 << 18;

/**
 * Paints a whole image band by band, awaiting `pause` between bands so a long
 * render neither blocks the event loop nor outlives an aborted request.
 */
export async function paintInBands(
  painter: PlaceholderPainter,
  target: Uint8ClampedArray,
  width: number,
  height: number,
  pause: () => Promise<void>,
  /** Told after each band: rows before `toRow` are painted. */
  painted?: (toRow: number) => void,
): Promise<void> {
  const rowsPerBand = Math.max(1, Math.floor(pixelsPerBand / width));
  for (let fromRow = 0; fromRow < height; fromRow += rowsPerBand) {
    await pause();
    const toRow = Math.min(height, fromRow + rowsPerBand);
    painter.paintRows(target, fromRow, toRow);
    painted?.(toRow);
  }
}

/** The RGB pixels of one placeholder, in one synchronous go (for benchmarks and tests). */
export function renderPlaceholderPixels(request: PlaceholderRequest, mark = true): Uint8ClampedArray {
  const target = new Uint8ClampedArray(request.width * request.height * 3);
  const prepared = preparePlaceholder(request);
  prepared.paintRows(target, 0, request.height);
  if (mark) prepared.drawMark(target, 3);
  return target;
}
