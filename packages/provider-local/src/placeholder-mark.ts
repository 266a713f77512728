import { drawText, glyphHeight, measureText } from './bitmap-font.js';

/**
 * The small plate in the bottom-left corner that says what the image is: a
 * placeholder, and the seed that reproduces it. Sized to the shorter side so it
 * reads the same at every resolution; lines that do not fit are left out rather
 * than clipped into something misleading.
 */
interface MarkLayout {
  scale: number;
  padding: number;
  lineHeight: number;
  fitting: string[];
  plateLeft: number;
  plateTop: number;
  plateWidth: number;
  plateHeight: number;
}

function markLayout(
  image: { width: number; height: number },
  lines: readonly string[],
): MarkLayout | undefined {
  const { width, height } = image;
  const scale = Math.max(1, Math.round(Math.min(width, height) / 450));
  const padding = 3 * scale;
  const margin = 4 * scale;
  const lineHeight = (glyphHeight + 3) * scale;
  const fitting = lines.filter((line) => measureText(line, scale) + 2 * (padding + margin) <= width);
  if (fitting.length === 0) return undefined;
  const plateWidth = Math.max(...fitting.map((line) => measureText(line, scale))) + 2 * padding;
  const plateHeight = fitting.length * lineHeight - 3 * scale + 2 * padding;
  if (plateHeight + 2 * margin > height) return undefined;
  return {
    scale,
    padding,
    lineHeight,
    fitting,
    plateLeft: margin,
    plateTop: height - margin - plateHeight,
    plateWidth,
    plateHeight,
  };
}

/** The first row the plate touches (the image's height when there is no plate): rows above it are final before the mark. */
export function placeholderMarkTop(
  image: { width: number; height: number },
  lines: readonly string[],
): number {
  return markLayout(image, lines)?.plateTop ?? image.height;
}

export function drawPlaceholderMark(
  target: Uint8Array | Uint8ClampedArray,
  image: { width: number; height: number; channels: number },
  lines: readonly string[],
): void {
  const layout = markLayout(image, lines);
  if (!layout) return;
  const { width, channels } = image;
  const { scale, padding, lineHeight, fitting, plateLeft, plateTop, plateWidth, plateHeight } = layout;

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
