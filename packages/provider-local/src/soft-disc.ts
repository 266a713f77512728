import type { Rgb } from './palette.js';

/**
 * A disc blended over an RGB row. The falloff uses the squared distance only, so
 * no pixel pays for a square root: `soft` fades as (1 - d²/r²)², `sharp` is solid
 * with a rim a few percent of the radius wide, which still antialiases the edge.
 */
export interface SoftDisc {
  centerX: number;
  centerY: number;
  radius: number;
  color: Rgb;
  opacity: number;
  edge: 'soft' | 'sharp';
}

/** How steeply a sharp disc reaches full cover: 1 / (rim width as a fraction of r²). */
const sharpEdgeGain = 14;

/** Blends `disc` into row `y` of an RGB image stored from `rowOffset` in `target`. */
export function blendDiscRow(
  target: Uint8ClampedArray,
  rowOffset: number,
  y: number,
  width: number,
  disc: SoftDisc,
): void {
  const deltaY = y + 0.5 - disc.centerY;
  const radiusSquared = disc.radius * disc.radius;
  const remaining = radiusSquared - deltaY * deltaY;
  if (remaining <= 0) return;
  const halfSpan = Math.sqrt(remaining);
  const firstX = Math.max(0, Math.ceil(disc.centerX - halfSpan - 0.5));
  const lastX = Math.min(width - 1, Math.floor(disc.centerX + halfSpan - 0.5));
  const inverseRadiusSquared = 1 / radiusSquared;
  const rowPart = deltaY * deltaY * inverseRadiusSquared;
  const [red, green, blue] = disc.color;
  const opacity = disc.opacity;
  const sharp = disc.edge === 'sharp';
  for (let x = firstX; x <= lastX; x++) {
    const deltaX = x + 0.5 - disc.centerX;
    const inside = 1 - (deltaX * deltaX * inverseRadiusSquared + rowPart);
    if (inside <= 0) continue;
    const cover = sharp ? Math.min(1, inside * sharpEdgeGain) : inside * inside;
    const weight = cover * opacity;
    const offset = rowOffset + x * 3;
    target[offset] = target[offset]! + (red - target[offset]!) * weight;
    target[offset + 1] = target[offset + 1]! + (green - target[offset + 1]!) * weight;
    target[offset + 2] = target[offset + 2]! + (blue - target[offset + 2]!) * weight;
  }
}
