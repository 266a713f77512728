import type { SizeRules } from '@uig/core';

/**
 * Pixel sizes for calls that did not carry one. Core normally resolves `size`
 * (and maps an aspect ratio onto it, since these models take pixel sizes); these
 * are the fallbacks, and the fit for edit inputs larger than the model renders.
 */
export interface PixelSize {
  width: number;
  height: number;
}

export function parseSize(size: string): PixelSize {
  const [width, height] = size.split('x').map(Number);
  return { width: width ?? 0, height: height ?? 0 };
}

/** `W:H` at about `targetPixels`, rounded to multiples of 8. Undefined for a malformed ratio. */
export function sizeForAspectRatio(ratio: string, targetPixels: number): PixelSize | undefined {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(ratio.trim());
  if (!match) return undefined;
  const ratioWidth = Number(match[1]);
  const ratioHeight = Number(match[2]);
  if (!(ratioWidth > 0 && ratioHeight > 0)) return undefined;
  const height = Math.sqrt(targetPixels * (ratioHeight / ratioWidth));
  const roundTo8 = (value: number): number => Math.max(8, Math.round(value / 8) * 8);
  return { width: roundTo8(height * (ratioWidth / ratioHeight)), height: roundTo8(height) };
}

/** Scales a size down (never up), keeping its shape, until it fits the rules' side and pixel limits. */
export function fitWithinRules(size: PixelSize, rules: SizeRules): PixelSize {
  const limits = rules.custom;
  if (!limits) return size;
  const scale = Math.min(
    1,
    limits.maxSide / size.width,
    limits.maxSide / size.height,
    Math.sqrt(limits.maxPixels / (size.width * size.height)),
  );
  if (scale >= 1) return size;
  return {
    width: Math.max(1, Math.floor(size.width * scale)),
    height: Math.max(1, Math.floor(size.height * scale)),
  };
}
