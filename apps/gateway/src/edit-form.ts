import { InvalidRequestError, PayloadTooLargeError } from '@uig/core';
import type { FastifyRequest } from 'fastify';

/**
 * Reads the multipart body of POST /v1/images/edits as OpenAI sends it: files under
 * `image` (one), `image[]` (several, as the openai SDK sends arrays) and `mask`; every
 * other part is a text field, left for the strict edit schema to judge (an unknown
 * field is a 400 naming it). Files are read into memory with a per-file cap and a
 * total cap, so a large upload is refused while it streams, not after. POST
 * /v1/images/variations is read the same way, with `image` (one) its only file.
 */
export interface EditUpload {
  /** The part name it came under, for `param` in errors (`image`, `image[1]`, `mask`). */
  param: string;
  data: Buffer;
}

/**
 * The body the route validates (request-bodies.ts): the text fields as strings, and the
 * files under the part name they came in: `image` (one, or several when repeated),
 * `image[]` (a list) and `mask`.
 */
type EditFormBody = Record<string, string | EditUpload | EditUpload[]>;

const imageFileFields = new Set(['image', 'image[]', 'mask']);

/** Which route's form: `variations` takes one file, `image`, and nothing else. */
export type FormRoute = 'edits' | 'variations';

export async function readEditForm(
  request: FastifyRequest,
  totalLimitBytes: number,
  route: FormRoute = 'edits',
): Promise<EditFormBody> {
  if (!request.isMultipart()) {
    throw new InvalidRequestError(
      `POST /v1/images/${route} takes multipart/form-data with the image as a file (as the OpenAI API does); for JSON with image URLs or data URIs use POST /v1/images.`,
      { code: 'INVALID_CONTENT_TYPE' },
    );
  }
  const fields: Record<string, string> = {};
  const images: EditUpload[] = [];
  const listed: EditUpload[] = [];
  let mask: EditUpload | undefined;
  let total = 0;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (!imageFileFields.has(part.fieldname) || (route === 'variations' && part.fieldname !== 'image')) {
        part.file.resume();
        throw new InvalidRequestError(
          route === 'variations'
            ? `Unknown file field "${part.fieldname}": a variation takes one file, image.`
            : `Unknown file field "${part.fieldname}": upload images as image (or image[]) and the mask as mask.`,
          { param: part.fieldname, code: 'UNKNOWN_PARAMETER' },
        );
      }
      if (route === 'variations' && images.length > 0) {
        part.file.resume();
        throw new InvalidRequestError('A variation takes one image; give image once.', {
          param: 'image',
          code: 'INVALID_PARAMETER',
        });
      }
      const data = await part.toBuffer();
      total += data.length;
      if (total > totalLimitBytes)
        throw new PayloadTooLargeError(
          `The uploaded files are larger than ${totalLimitBytes} bytes in all.`,
          { param: part.fieldname },
        );
      if (part.fieldname === 'mask') {
        if (mask)
          throw new InvalidRequestError('Give one mask.', { param: 'mask', code: 'INVALID_PARAMETER' });
        mask = { param: 'mask', data };
      } else {
        const count = images.length + listed.length;
        (part.fieldname === 'image' ? images : listed).push({
          param: part.fieldname === 'image' && count === 0 ? 'image' : `image[${count}]`,
          data,
        });
      }
      continue;
    }
    if (route === 'variations' ? part.fieldname === 'image' : imageFileFields.has(part.fieldname)) {
      throw new InvalidRequestError(
        `${part.fieldname} must be uploaded as a file part (multipart/form-data with a filename); for image URLs or data URIs use POST /v1/images.`,
        { param: part.fieldname, code: 'INVALID_PARAMETER' },
      );
    }
    if (part.valueTruncated)
      throw new PayloadTooLargeError(`The field ${part.fieldname} is too long.`, { param: part.fieldname });
    if (part.fieldname in fields)
      throw new InvalidRequestError(`The field ${part.fieldname} is given twice.`, {
        param: part.fieldname,
        code: 'INVALID_PARAMETER',
      });
    fields[part.fieldname] = String(part.value);
  }
  return {
    ...fields,
    ...(images.length === 1 ? { image: images[0]! } : images.length > 1 ? { image: images } : {}),
    ...(listed.length ? { 'image[]': listed } : {}),
    ...(mask ? { mask } : {}),
  };
}
