import { sniffImage } from '@uig/core';
import { bflValidationBody, type BflFakeSchema } from './bfl-fake-catalog.js';

/**
 * The docs/providers/bfl.md §7.2 body rules per schema, answered as FastAPI does
 * (docs/providers/bfl.md §7.6: 422 with `detail[]`). Returns the 422 body, or the sizes
 * the fake needs to price the task.
 */

type Body = Record<string, unknown>;
export type BflValidation =
  | { problem: Record<string, unknown> }
  | { outputMp: number; inputMp: number; inputImages: number };

const isInt = (value: unknown): value is number => Number.isInteger(value);
const megapixels = (pixels: number) => Math.round(pixels / 10_000) / 100;

/** `input_image`, `input_image_2` … in the order given. */
const bflInputFields = (max: number) =>
  Array.from({ length: max }, (_, index) => (index === 0 ? 'input_image' : `input_image_${index + 1}`));

function decoded(value: unknown): { width: number; height: number } | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^https?:\/\//.test(value)) return { width: 1024, height: 1024 };
  return sniffImage(Buffer.from(value.replace(/^data:[^,]*,/, ''), 'base64'));
}

function sideProblem(body: Body, field: 'width' | 'height', schema: BflFakeSchema) {
  const value = body[field];
  if (value === undefined || value === null || (value === 0 && schema !== 'pro-1.1')) return undefined;
  if (!isInt(value)) return bflValidationBody(['body', field], 'Input should be a valid integer', 'int_type');
  const [min, max, step] = schema === 'pro-1.1' ? [256, 1440, 32] : [64, 4096, 16];
  if (value < min)
    return bflValidationBody(
      ['body', field],
      `Input should be greater than or equal to ${min}`,
      'greater_than_equal',
    );
  if (value > max)
    return bflValidationBody(
      ['body', field],
      `Input should be less than or equal to ${max}`,
      'less_than_equal',
    );
  if (value % step !== 0)
    return bflValidationBody(['body', field], `Input should be a multiple of ${step}`, 'multiple_of');
  return undefined;
}

export function validateBflBody(body: Body, schema: BflFakeSchema): BflValidation {
  const isFlux2 = schema === 'flux2' || schema === 'klein';
  if (schema !== 'pro-1.1' && schema !== 'fill' && typeof body.prompt !== 'string')
    return { problem: bflValidationBody(['body', 'prompt'], 'Field required', 'missing') };
  if (body.seed !== undefined && body.seed !== null && !isInt(body.seed))
    return { problem: bflValidationBody(['body', 'seed'], 'Input should be a valid integer', 'int_type') };
  const tolerance = body.safety_tolerance;
  const maxTolerance = isFlux2 ? 5 : 6;
  if (tolerance !== undefined && !(isInt(tolerance) && tolerance >= 0 && tolerance <= maxTolerance))
    return {
      problem: bflValidationBody(
        ['body', 'safety_tolerance'],
        `Input should be less than or equal to ${maxTolerance}`,
        'less_than_equal',
      ),
    };
  if (
    body.output_format !== undefined &&
    body.output_format !== null &&
    !['jpeg', 'png', 'webp'].includes(String(body.output_format))
  )
    return {
      problem: bflValidationBody(
        ['body', 'output_format'],
        "Input should be 'jpeg', 'png' or 'webp'",
        'enum',
      ),
    };
  for (const field of ['width', 'height'] as const) {
    if (!isFlux2 && schema !== 'pro-1.1') continue;
    const problem = sideProblem(body, field, schema);
    if (problem) return { problem };
  }
  const width = isInt(body.width) && body.width > 0 ? body.width : schema === 'pro-1.1' ? 1024 : undefined;
  const height = isInt(body.height) && body.height > 0 ? body.height : schema === 'pro-1.1' ? 768 : undefined;
  if (isFlux2 && width && height && width * height > 4_194_304)
    return {
      problem: bflValidationBody(
        ['body', 'width'],
        'width x height must be at most 4 megapixels',
        'value_error',
      ),
    };
  if (
    (schema === 'kontext' || schema === 'ultra') &&
    body.aspect_ratio !== undefined &&
    body.aspect_ratio !== null
  ) {
    const match = /^(\d+):(\d+)$/.exec(String(body.aspect_ratio));
    const ratio = match ? Number(match[1]) / Number(match[2]) : Number.NaN;
    if (!(ratio >= 9 / 21 - 1e-9 && ratio <= 21 / 9 + 1e-9))
      return {
        problem: bflValidationBody(
          ['body', 'aspect_ratio'],
          'Aspect ratio must be between 21:9 and 9:21',
          'value_error',
        ),
      };
  }
  let inputPixels = 0;
  let inputImages = 0;
  if (schema === 'fill') {
    const image = decoded(body.image);
    if (!image) return { problem: bflValidationBody(['body', 'image'], 'Field required', 'missing') };
    const mask = body.mask === undefined || body.mask === null ? undefined : decoded(body.mask);
    if (
      body.mask !== undefined &&
      body.mask !== null &&
      (!mask || mask.width !== image.width || mask.height !== image.height)
    )
      return {
        problem: bflValidationBody(['body', 'mask'], 'Mask dimensions must match the image', 'value_error'),
      };
    inputImages = 1;
    return { outputMp: megapixels(image.width * image.height), inputMp: 0, inputImages };
  }
  // docs/providers/bfl.md §7.2: klein and Kontext take 4 references, FLUX.2 pro/max/flex 8.
  const maxInputs = schema === 'flux2' ? 8 : schema === 'klein' || schema === 'kontext' ? 4 : 0;
  const allFields = bflInputFields(8);
  for (const [index, field] of allFields.entries()) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (index >= maxInputs)
      return {
        problem: bflValidationBody(['body', field], 'Extra inputs are not permitted', 'extra_forbidden'),
      };
    const image = decoded(value);
    if (!image)
      return {
        problem: bflValidationBody(['body', field], 'Input should be a base64 image or a URL', 'value_error'),
      };
    inputImages += 1;
    inputPixels += image.width * image.height;
  }
  const first = decoded(body.input_image);
  const outputPixels = width && height ? width * height : first ? first.width * first.height : 1024 * 1024;
  return { outputMp: megapixels(outputPixels), inputMp: megapixels(inputPixels), inputImages };
}
