import type { Rgb } from './palette.js';
import type { PainterInput, PlaceholderPainter } from './placeholder-painter.js';
import { blendDiscRow, type SoftDisc } from './soft-disc.js';

/**
 * The `placeholder-blocks` look: the canvas split recursively into panels, each
 * with a two-colour gradient, some holding a disc, on a dark ground. Flat panels
 * compress very well, so this is the cheapest look to encode.
 */
interface Panel {
  left: number;
  top: number;
  right: number;
  bottom: number;
  from: Rgb;
  to: Rgb;
  /** Gradient runs left to right; otherwise top to bottom. */
  horizontal: boolean;
}

interface Area {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export function createBlocksPainter({ width, height, random, palette }: PainterInput): PlaceholderPainter {
  const unit = Math.min(width, height);
  const gutter = Math.max(1, Math.round(unit * 0.014));
  const smallest = unit * 0.14;
  const colours: Rgb[] = [...palette.ramp.slice(1), ...palette.accents];

  const leaves: Area[] = [];
  const split = (area: Area, depth: number): void => {
    const areaWidth = area.right - area.left;
    const areaHeight = area.bottom - area.top;
    const splitAcross = areaWidth >= areaHeight;
    const length = splitAcross ? areaWidth : areaHeight;
    const stop = depth >= 4 || length < smallest * 2 || (depth >= 2 && random.next() < 0.3);
    if (stop) {
      leaves.push(area);
      return;
    }
    const cut = Math.round(length * random.between(0.3, 0.7));
    if (splitAcross) {
      split({ ...area, right: area.left + cut }, depth + 1);
      split({ ...area, left: area.left + cut }, depth + 1);
    } else {
      split({ ...area, bottom: area.top + cut }, depth + 1);
      split({ ...area, top: area.top + cut }, depth + 1);
    }
  };
  split({ left: 0, top: 0, right: width, bottom: height }, 0);

  const panels: Panel[] = [];
  const discs: SoftDisc[] = [];
  for (const leaf of leaves) {
    const panel: Panel = {
      left: Math.min(width, leaf.left + gutter),
      top: Math.min(height, leaf.top + gutter),
      right: Math.max(0, leaf.right - (leaf.right === width ? gutter : 0)),
      bottom: Math.max(0, leaf.bottom - (leaf.bottom === height ? gutter : 0)),
      from: random.pick(colours),
      to: random.pick(colours),
      horizontal: random.next() < 0.5,
    };
    if (panel.right <= panel.left || panel.bottom <= panel.top) continue;
    panels.push(panel);
    const roll = random.next();
    if (roll < 0.45) {
      discs.push({
        centerX: (panel.left + panel.right) / 2,
        centerY: (panel.top + panel.bottom) / 2,
        radius: 0.34 * Math.min(panel.right - panel.left, panel.bottom - panel.top),
        color: random.pick(palette.accents),
        opacity: roll < 0.3 ? 0.95 : 0.6,
        edge: roll < 0.3 ? 'sharp' : 'soft',
      });
    }
  }
  const [inkRed, inkGreen, inkBlue] = palette.ink;

  return {
    paintRows(target, fromRow, toRow) {
      for (let y = fromRow; y < toRow; y++) {
        const rowOffset = y * width * 3;
        for (let offset = rowOffset, end = rowOffset + width * 3; offset < end; offset += 3) {
          target[offset] = inkRed;
          target[offset + 1] = inkGreen;
          target[offset + 2] = inkBlue;
        }
        for (const panel of panels) {
          if (y < panel.top || y >= panel.bottom) continue;
          const [fromRed, fromGreen, fromBlue] = panel.from;
          const deltaRed = panel.to[0] - fromRed;
          const deltaGreen = panel.to[1] - fromGreen;
          const deltaBlue = panel.to[2] - fromBlue;
          if (panel.horizontal) {
            const step = 1 / Math.max(1, panel.right - panel.left - 1);
            for (let x = panel.left, position = 0; x < panel.right; x++, position += step) {
              const offset = rowOffset + x * 3;
              target[offset] = fromRed + deltaRed * position;
              target[offset + 1] = fromGreen + deltaGreen * position;
              target[offset + 2] = fromBlue + deltaBlue * position;
            }
          } else {
            const position = (y - panel.top) / Math.max(1, panel.bottom - panel.top - 1);
            const red = fromRed + deltaRed * position;
            const green = fromGreen + deltaGreen * position;
            const blue = fromBlue + deltaBlue * position;
            for (
              let offset = rowOffset + panel.left * 3, end = rowOffset + panel.right * 3;
              offset < end;
              offset += 3
            ) {
              target[offset] = red;
              target[offset + 1] = green;
              target[offset + 2] = blue;
            }
          }
        }
        for (const disc of discs) blendDiscRow(target, rowOffset, y, width, disc);
      }
    },
  };
}
