/**
 * A 5×7 bitmap font (capitals, digits, a little punctuation), enough to stamp an
 * honest "UIG PLACEHOLDER" mark on every image without shipping a font file.
 * Glyph rows are written as pictures: `#` is ink.
 */
const glyphRows: Record<string, readonly string[]> = {
  A: ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  B: ['####.', '#...#', '#...#', '####.', '#...#', '#...#', '####.'],
  C: ['.###.', '#...#', '#....', '#....', '#....', '#...#', '.###.'],
  D: ['####.', '#...#', '#...#', '#...#', '#...#', '#...#', '####.'],
  E: ['#####', '#....', '#....', '####.', '#....', '#....', '#####'],
  F: ['#####', '#....', '#....', '####.', '#....', '#....', '#....'],
  G: ['.###.', '#...#', '#....', '#.###', '#...#', '#...#', '.####'],
  H: ['#...#', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  I: ['.###.', '..#..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  J: ['..###', '...#.', '...#.', '...#.', '...#.', '#..#.', '.##..'],
  K: ['#...#', '#..#.', '#.#..', '##...', '#.#..', '#..#.', '#...#'],
  L: ['#....', '#....', '#....', '#....', '#....', '#....', '#####'],
  M: ['#...#', '##.##', '#.#.#', '#.#.#', '#...#', '#...#', '#...#'],
  N: ['#...#', '#...#', '##..#', '#.#.#', '#..##', '#...#', '#...#'],
  O: ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  P: ['####.', '#...#', '#...#', '####.', '#....', '#....', '#....'],
  Q: ['.###.', '#...#', '#...#', '#...#', '#.#.#', '#..#.', '.##.#'],
  R: ['####.', '#...#', '#...#', '####.', '#.#..', '#..#.', '#...#'],
  S: ['.####', '#....', '#....', '.###.', '....#', '....#', '####.'],
  T: ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..'],
  U: ['#...#', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  V: ['#...#', '#...#', '#...#', '#...#', '#...#', '.#.#.', '..#..'],
  W: ['#...#', '#...#', '#...#', '#.#.#', '#.#.#', '#.#.#', '.#.#.'],
  X: ['#...#', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '#...#'],
  Y: ['#...#', '#...#', '.#.#.', '..#..', '..#..', '..#..', '..#..'],
  Z: ['#####', '....#', '...#.', '..#..', '.#...', '#....', '#####'],
  '0': ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['#####', '...#.', '..#..', '...#.', '....#', '#...#', '.###.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
  '-': ['.....', '.....', '.....', '#####', '.....', '.....', '.....'],
  '.': ['.....', '.....', '.....', '.....', '.....', '.##..', '.##..'],
  ':': ['.....', '.##..', '.##..', '.....', '.##..', '.##..', '.....'],
  '/': ['....#', '....#', '...#.', '..#..', '.#...', '#....', '#....'],
};

const glyphWidth = 5;
export const glyphHeight = 7;
/** One blank column between letters. */
const glyphAdvance = glyphWidth + 1;

/** Each glyph as 7 row bitmasks, bit 4 being the leftmost column. Unknown characters draw as a space. */
const glyphs = new Map<string, Uint8Array>(
  Object.entries(glyphRows).map(([character, rows]) => [
    character,
    Uint8Array.from(rows, (row) => [...row].reduce((bits, cell) => (bits << 1) | (cell === '#' ? 1 : 0), 0)),
  ]),
);

export interface TextStyle {
  /** Pixels per font pixel. */
  scale: number;
  color: readonly [number, number, number];
  opacity: number;
}

/** Width in pixels of `text` at `scale`, without the trailing blank column. */
export function measureText(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * glyphAdvance - 1) * scale;
}

/** Draws one line of text with its top-left corner at (left, top) into an image of `channels` (3 or 4; alpha is left alone). */
export function drawText(
  target: Uint8Array | Uint8ClampedArray,
  image: { width: number; height: number; channels: number },
  text: string,
  left: number,
  top: number,
  style: TextStyle,
): void {
  const { width, height, channels } = image;
  const [red, green, blue] = style.color;
  const keep = 1 - style.opacity;
  [...text.toUpperCase()].forEach((character, position) => {
    const glyph = glyphs.get(character);
    if (!glyph) return;
    const glyphLeft = left + position * glyphAdvance * style.scale;
    for (let row = 0; row < glyphHeight; row++) {
      const bits = glyph[row]!;
      for (let column = 0; column < glyphWidth; column++) {
        if ((bits & (1 << (glyphWidth - 1 - column))) === 0) continue;
        for (let dy = 0; dy < style.scale; dy++) {
          const y = top + row * style.scale + dy;
          if (y < 0 || y >= height) continue;
          for (let dx = 0; dx < style.scale; dx++) {
            const x = glyphLeft + column * style.scale + dx;
            if (x < 0 || x >= width) continue;
            const offset = (y * width + x) * channels;
            target[offset] = Math.round(target[offset]! * keep + red * style.opacity);
            target[offset + 1] = Math.round(target[offset + 1]! * keep + green * style.opacity);
            target[offset + 2] = Math.round(target[offset + 2]! * keep + blue * style.opacity);
          }
        }
      }
    }
  });
}
