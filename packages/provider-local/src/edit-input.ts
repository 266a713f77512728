import {
  InvalidRequestError,
  PayloadTooLargeError,
  PngDecodeError,
  UnsupportedCapabilityError,
  assertSupportedPng,
  decodePng,
  readPngHeader,
  sniffImage,
  supportedPngFormats,
  type DecodedImage,
  type InputImage,
  type PngHeader,
} from '@uig/core';

/**
 * Turns edit inputs into pixels, and decoder failures into the errors the API
 * answers with: a format we do not read is an unsupported capability (naming what
 * we do read), a damaged file is an invalid request, a huge one is too large.
 */

/** 6000x6000: far above what we render, low enough that a tiny file cannot make us allocate gigabytes. */
const maxInputPixels = 36_000_000;

export type EditInputField = 'image' | 'mask';

function asRequestError(error: unknown, input: InputImage, param: EditInputField, provider: string): Error {
  if (!(error instanceof PngDecodeError)) return error as Error;
  const extra = { provider, param, cause: error };
  switch (error.reason) {
    case 'not-png': {
      const format = sniffImage(input.data)?.mimeType ?? input.mimeType;
      return new UnsupportedCapabilityError(
        `The local provider edits ${supportedPngFormats} only; the ${param} is ${format}.`,
        extra,
      );
    }
    case 'unsupported':
      return new UnsupportedCapabilityError(
        `${error.message} The local provider reads ${supportedPngFormats}.`,
        extra,
      );
    case 'too-large':
      return new PayloadTooLargeError(error.message, extra);
    default:
      return new InvalidRequestError(`The ${param} is not a valid PNG: ${error.message}`, {
        ...extra,
        code: 'INVALID_IMAGE',
      });
  }
}

function requireAlpha(hasAlpha: boolean, provider: string): void {
  // OpenAI's rule, which callers of the edits endpoint already follow: transparent mask pixels mark the area to edit.
  if (!hasAlpha) {
    throw new InvalidRequestError(
      'The mask must be a PNG with transparency: pixels with alpha 0 mark the area to edit.',
      {
        provider,
        param: 'mask',
        code: 'INVALID_MASK',
      },
    );
  }
}

/** Header-only check, cheap enough to run before the request is queued. */
export function checkEditInput(input: InputImage, param: EditInputField, provider: string): PngHeader {
  let header: PngHeader;
  try {
    header = readPngHeader(input.data);
    assertSupportedPng(header);
    if (header.width * header.height > maxInputPixels) {
      throw new PngDecodeError(
        'too-large',
        `PNG is ${header.width}x${header.height}; at most ${maxInputPixels} pixels are accepted.`,
      );
    }
  } catch (error) {
    throw asRequestError(error, input, param, provider);
  }
  if (param === 'mask') requireAlpha(header.hasAlpha, provider);
  return header;
}

export function decodeEditInput(input: InputImage, param: EditInputField, provider: string): DecodedImage {
  let image: DecodedImage;
  try {
    image = decodePng(input.data, { maxPixels: maxInputPixels });
  } catch (error) {
    throw asRequestError(error, input, param, provider);
  }
  if (param === 'mask') requireAlpha(image.channels === 4, provider);
  return image;
}
