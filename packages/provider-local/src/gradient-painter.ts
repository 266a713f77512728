import type { Rgb } from './palette.js';
import type { PainterInput, PlaceholderPainter } from './placeholder-painter.js';
import { blendDiscRow, type SoftDisc } from './soft-disc.js';

/**
 * The `placeholder` look: a flowing multi-stop gradient, a few soft glows, a
 * gentle vignette, and one to three crisp translucent bubbles so the picture has
 * something to focus on. Layout is in units of the shorter side, so one request rendered
 * at 512 and at 2048 shows the same picture.
 *
 * Speed: everything in this look is smooth (no edge sharper than a few percent of
 * the image), so the field is computed on a grid of about 128 samples across the
 * shorter side and the image is its bilinear interpolation. The costly maths
 * (waves, glows, vignette) then runs on a few percent of the pixels; each output
 * pixel costs one multiply-add per channel. Only the bubbles, which have edges,
 * are drawn at full resolution, and only inside their own rows and spans.
 */
const rampSize = 1024;

/** Grid spacing: about 128 samples across the shorter side, which resolves the smallest glow (15% of it) with room to spare. */
function gridStepFor(width: number, height: number): number {
  return Math.max(2, Math.min(16, Math.round(Math.min(width, height) / 128)));
}

function buildRamp(stops: readonly Rgb[]): Float32Array {
  const ramp = new Float32Array(rampSize * 3);
  const segments = stops.length - 1;
  for (let index = 0; index < rampSize; index++) {
    const position = (index / (rampSize - 1)) * segments;
    const segment = Math.min(segments - 1, Math.floor(position));
    const local = position - segment;
    // Smoothstep between stops hides the kinks a linear ramp shows as bands.
    const eased = local * local * (3 - 2 * local);
    const from = stops[segment]!;
    const to = stops[segment + 1]!;
    for (let channel = 0; channel < 3; channel++) {
      ramp[index * 3 + channel] = from[channel]! + (to[channel]! - from[channel]!) * eased;
    }
  }
  return ramp;
}

interface Glow {
  centerX: number;
  centerY: number;
  radius: number;
  color: Rgb;
  opacity: number;
}

interface Wave {
  /** Radians per pixel along x and y. */
  frequencyX: number;
  frequencyY: number;
  phase: number;
  amplitude: number;
}

/** RGB floats of the field at the centres of pixels (column * gridStep, row * gridStep), one extra sample past each edge. */
function computeGrid(
  { width, height, random, palette }: PainterInput,
  gridStep: number,
  columns: number,
  rows: number,
): Float32Array {
  const unit = Math.min(width, height);
  const stops = random.next() < 0.5 ? palette.ramp : [...palette.ramp].reverse();
  const ramp = buildRamp(stops);

  const angle = random.between(0, Math.PI * 2);
  const slopeX = Math.cos(angle) / unit;
  const slopeY = Math.sin(angle) / unit;
  const waves: Wave[] = [0, 1].map(() => {
    const direction = random.between(0, Math.PI * 2);
    const radiansPerPixel = (random.between(0.4, 1.3) * Math.PI * 2) / unit;
    return {
      frequencyX: Math.cos(direction) * radiansPerPixel,
      frequencyY: Math.sin(direction) * radiansPerPixel,
      phase: random.between(0, Math.PI * 2),
      amplitude: random.between(0.06, 0.16),
    };
  });
  // Normalise so the field's whole possible range maps onto the ramp.
  const corners = [0, width * slopeX].flatMap((atX) => [atX, atX + height * slopeY]);
  const waveReach = waves.reduce((sum, wave) => sum + wave.amplitude, 0);
  const fieldMinimum = Math.min(...corners) - waveReach;
  const scale = (rampSize - 1) / (Math.max(...corners) - Math.min(...corners) + 2 * waveReach);

  const glows: Glow[] = [];
  const glowCount = 3 + random.integer(4);
  for (let index = 0; index < glowCount; index++) {
    glows.push({
      centerX: random.between(-0.1, 1.1) * width,
      centerY: random.between(-0.1, 1.1) * height,
      radius: random.between(0.15, 0.5) * unit,
      color: palette.accents[index % palette.accents.length]!,
      opacity: random.between(0.3, 0.7),
    });
  }
  const vignetteStrength = random.between(0.12, 0.28);

  const grid = new Float32Array(columns * rows * 3);
  const last = rampSize - 1;
  for (let row = 0; row < rows; row++) {
    const y = row * gridStep + 0.5;
    const centredY = (2 * y) / height - 1;
    for (let column = 0; column < columns; column++) {
      const x = column * gridStep + 0.5;
      let field = (x * slopeX + y * slopeY - fieldMinimum) * scale;
      for (const wave of waves)
        field += Math.sin(x * wave.frequencyX + y * wave.frequencyY + wave.phase) * wave.amplitude * scale;
      const index = Math.max(0, Math.min(last, Math.round(field))) * 3;
      let red = ramp[index]!;
      let green = ramp[index + 1]!;
      let blue = ramp[index + 2]!;
      for (const glow of glows) {
        const deltaX = (x - glow.centerX) / glow.radius;
        const deltaY = (y - glow.centerY) / glow.radius;
        const inside = 1 - (deltaX * deltaX + deltaY * deltaY);
        if (inside <= 0) continue;
        // (1 - d²/r²)² fades to zero slope at the rim, so glows have no visible edge.
        const weight = inside * inside * glow.opacity;
        red += (glow.color[0] - red) * weight;
        green += (glow.color[1] - green) * weight;
        blue += (glow.color[2] - blue) * weight;
      }
      const centredX = (2 * x) / width - 1;
      const vignette = 1 - vignetteStrength * 0.5 * (centredX * centredX + centredY * centredY);
      const offset = (row * columns + column) * 3;
      grid[offset] = red * vignette;
      grid[offset + 1] = green * vignette;
      grid[offset + 2] = blue * vignette;
    }
  }
  return grid;
}

/** One output row between two stretched grid rows; `weight` is the lower row's share in 1/256ths. */
function interpolateRow(
  target: Uint8ClampedArray,
  rowOffset: number,
  upper: Int32Array,
  difference: Int32Array,
  weight: number,
): void {
  const length = upper.length;
  for (let index = 0; index < length; index++) {
    // The + 32768 rounds the >> 16 (8 bits of fixed point, 8 of weight).
    target[rowOffset + index] = ((upper[index]! << 8) + difference[index]! * weight + 32768) >> 16;
  }
}

export function createGradientPainter(input: PainterInput): PlaceholderPainter {
  const { width, height } = input;
  const gridStep = gridStepFor(width, height);
  const columns = Math.floor((width - 1) / gridStep) + 2;
  const rows = Math.floor((height - 1) / gridStep) + 2;
  const grid = computeGrid(input, gridStep, columns, rows);
  const unit = Math.min(width, height);
  const bubbles: SoftDisc[] = Array.from({ length: 1 + input.random.integer(3) }, () => ({
    centerX: input.random.between(0.1, 0.9) * width,
    centerY: input.random.between(0.1, 0.9) * height,
    radius: input.random.between(0.05, 0.16) * unit,
    color: input.random.pick(input.palette.accents),
    opacity: input.random.between(0.25, 0.5),
    edge: 'sharp' as const,
  }));

  // Fixed point from here on (value * 256): integer maths is what makes the per-pixel loops cheap.
  const fixedGrid = new Int32Array(grid.length);
  for (let index = 0; index < grid.length; index++) fixedGrid[index] = (grid[index]! * 256 + 0.5) | 0;
  // Where each output column falls between two grid columns, and the right one's share in 1/256ths.
  const leftSample = new Int32Array(width);
  const rightWeight = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    leftSample[x] = Math.floor(x / gridStep) * 3;
    rightWeight[x] = Math.round(((x % gridStep) / gridStep) * 256);
  }
  const stretchRow = (row: number, line: Int32Array): void => {
    const base = row * columns * 3;
    for (let x = 0, offset = 0; x < width; x++, offset += 3) {
      const left = base + leftSample[x]!;
      const weight = rightWeight[x]!;
      line[offset] = fixedGrid[left]! + (((fixedGrid[left + 3]! - fixedGrid[left]!) * weight) >> 8);
      line[offset + 1] =
        fixedGrid[left + 1]! + (((fixedGrid[left + 4]! - fixedGrid[left + 1]!) * weight) >> 8);
      line[offset + 2] =
        fixedGrid[left + 2]! + (((fixedGrid[left + 5]! - fixedGrid[left + 2]!) * weight) >> 8);
    }
  };
  // The grid rows above and below the current output row, stretched to full width, and their difference.
  let upper = new Int32Array(width * 3);
  let lower = new Int32Array(width * 3);
  const difference = new Int32Array(width * 3);
  let loadedRow = -2;
  const loadRows = (row: number): void => {
    if (row === loadedRow) return;
    if (row === loadedRow + 1) {
      // Moving down one grid row: the old lower row is the new upper one.
      [upper, lower] = [lower, upper];
    } else {
      stretchRow(row, upper);
    }
    stretchRow(row + 1, lower);
    for (let index = 0; index < difference.length; index++) difference[index] = lower[index]! - upper[index]!;
    loadedRow = row;
  };

  return {
    paintRows(target, fromRow, toRow) {
      const length = width * 3;
      for (let y = fromRow; y < toRow; y++) {
        const row = Math.floor(y / gridStep);
        loadRows(row);
        const weight = Math.round(((y - row * gridStep) / gridStep) * 256);
        interpolateRow(target, y * length, upper, difference, weight);
        for (const bubble of bubbles) blendDiscRow(target, y * length, y, width, bubble);
      }
    },
  };
}
