import { drawText, glyphHeight, measureText } from './bitmap-font.js';

/**
 * The small plate in the bottom-left corner that says what the image is: a
 * placeholder, and the seed that reproduces it. Sized to the shorter side so it
 * reads the same at every resolution; lines that do not fit are left out rather
 * than clipped into something misleading.
 */
export function drawPlaceholderMark(
  target: Uint8Array | Uint8ClampedArray,
  image: { width: number; height: number; channels: number },
  lines: readonly string[],
): void {
  const { width, height, channels } = image;
  const scale = Math.max(1, Math.round(Math.min(width, height) / 450));
  const padding = 3 * scale;
  const margin = 4 * scale;
  const lineHeight = (glyphHeight + 3) * scale;
  const fitting = lines.filter((line) => measureText(line, scale) + 2 * (padding + margin) <= width);
  if (fitting.length === 0) return;
  const plateWidth = Math.max(...fitting.map((line) => measureText(line, scale))) + 2 * padding;
  const plateHeight = fitting.length * lineHeight - 3 * scale + 2 * padding;
  if (plateHeight + 2 * margin > height) return;
  const plateLeft = margin;
  const plateTop = height - margin - plateHeight;

  // Darken the plate by half so white text reads on any background.
  for (let y = plateTop; y < plateTop + plateHeight; y++) {
    for (let x = plateLeft; x < plateLeft + plateWidth; x++) {
      const offset = (y * width + x) * channels;
      target[offset] = target[offset]! >> 1;
      target[offset + 1] = target[offset + 1]! >> 1;
      target[offset + 2] = target[offset + 2]! >> 1;
    }
  }
  fitting.forEach((line, index) => {
    drawText(target, image, line, plateLeft + padding, plateTop + padding + index * lineHeight, {
      scale,
      color: [255, 255, 255],
      opacity: 0.92,
    });
  });
}
