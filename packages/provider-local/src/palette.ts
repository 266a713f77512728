import { SeededRandom } from './seeded-random.js';

/**
 * Colours for one image. The prompt picks the family (base hue and harmony), so
 * every image of one prompt looks related; the image's own random nudges the hue
 * so that seeds and batch siblings are told apart at a glance.
 */
export type Rgb = readonly [number, number, number];

export interface Palette {
  /** Dark to light stops for the background ramp. */
  ramp: readonly Rgb[];
  /** Brighter colours for shapes drawn over the background. */
  accents: readonly Rgb[];
  /** A deep colour for backgrounds and gutters. */
  ink: Rgb;
}

/** HSL to 8-bit RGB; hue in degrees, saturation and lightness in [0, 1] (the CSS Color 4 formula). */
function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const normalizedHue = ((hue % 360) + 360) % 360;
  const amount = saturation * Math.min(lightness, 1 - lightness);
  const channel = (offset: number): number => {
    const position = (offset + normalizedHue / 30) % 12;
    return Math.round((lightness - amount * Math.max(-1, Math.min(position - 3, 9 - position, 1))) * 255);
  };
  return [channel(0), channel(8), channel(4)];
}

/** Hue offsets of the harmonies a prompt can land on. */
const harmonies: readonly (readonly number[])[] = [
  [0, 25, 50, -25], // analogous
  [0, 180, 20, 200], // complementary
  [0, 120, 240, 30], // triadic
  [0, 150, 210, 15], // split complementary
  [0, 10, -10, 40], // near-monochrome
];

export function createPalette(promptHash: number, imageRandom: SeededRandom): Palette {
  const promptRandom = new SeededRandom(promptHash);
  const baseHue = promptRandom.between(0, 360) + imageRandom.between(-24, 24);
  const harmony = promptRandom.pick(harmonies);
  const saturation = promptRandom.between(0.45, 0.8);
  const hueAt = (index: number): number => baseHue + (harmony[index % harmony.length] ?? 0);
  const ramp: Rgb[] = [
    hslToRgb(hueAt(0), saturation, promptRandom.between(0.12, 0.22)),
    hslToRgb(hueAt(1), saturation, promptRandom.between(0.32, 0.45)),
    hslToRgb(hueAt(2), saturation * 0.9, promptRandom.between(0.5, 0.62)),
    hslToRgb(hueAt(3), saturation * 0.8, promptRandom.between(0.7, 0.84)),
  ];
  const accents: Rgb[] = [0, 1, 2, 3].map((index) =>
    hslToRgb(
      hueAt(index) + imageRandom.between(-12, 12),
      Math.min(1, saturation + 0.15),
      imageRandom.between(0.5, 0.78),
    ),
  );
  const ink = hslToRgb(hueAt(0), saturation * 0.6, 0.09);
  return { ramp, accents, ink };
}
