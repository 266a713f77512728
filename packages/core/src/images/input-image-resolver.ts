import { InvalidRequestError, isUigError, NotFoundError, PayloadTooLargeError } from '../errors.js';
import { sniffImage } from './image-info.js';
import { imageDefect } from './image-defect.js';
import { isImageId, type ImageStore } from '../storage/image-store.js';
import type { InputImage } from '../providers/provider.js';
import { download } from './download.js';

/**
 * Turns what a client gave as an input image (a data URI, an http(s) URL or a
 * stored image id) into checked bytes before any vendor call: real image bytes
 * (PNG, JPEG, WebP or GIF, whatever the data URI claims), a byte limit and a pixel
 * limit. URLs go through `checkUrl` (the SSRF guard, url-guard.ts) on every redirect
 * hop, and `fetch` should be the guard's pinned fetch, so the address checked is the
 * address connected to.
 */
export interface InputImageResolverOptions {
  store: ImageStore;
  fetch: typeof globalThis.fetch;
  maxBytes: number;
  maxPixels: number;
  downloadTimeoutMs: number;
  /** Refuses URLs the gateway must not fetch (private addresses...). */
  checkUrl?: (url: URL) => Promise<void>;
}

const dataUriPattern = /^data:([\w/+.-]*)(;[\w=.-]+)*?;base64,/;

export class InputImageResolver {
  constructor(private readonly options: InputImageResolverOptions) {}

  async resolve(reference: string, param: string, signal?: AbortSignal): Promise<InputImage> {
    const { maxBytes } = this.options;
    let data: Buffer;
    let id: string | undefined;
    let sourceUrl: string | undefined;
    if (reference.startsWith('data:')) {
      const match = dataUriPattern.exec(reference);
      if (!match)
        throw new InvalidRequestError(
          `${param}: a data URI must be base64, e.g. data:image/png;base64,....`,
          { param, code: 'INVALID_IMAGE' },
        );
      const payload = reference.slice(match[0].length);
      if ((payload.length * 3) / 4 > maxBytes)
        throw new PayloadTooLargeError(`${param}: the image is larger than ${maxBytes} bytes.`, { param });
      data = Buffer.from(payload, 'base64');
    } else if (/^https?:\/\//i.test(reference)) {
      // `new URL` throws on what only looks like a URL (`http://127.0.0.1%2509:1/`).
      const url = URL.canParse(reference) ? new URL(reference) : undefined;
      if (!url)
        throw new InvalidRequestError(
          `${param}: not a valid URL; give an https URL, a data URI or a stored image id.`,
          {
            param,
            code: 'INVALID_IMAGE_URL',
          },
        );
      try {
        const downloaded = await download(reference, {
          fetch: this.options.fetch,
          maxBytes,
          timeoutMs: this.options.downloadTimeoutMs,
          ...(signal ? { signal } : {}),
          ...(this.options.checkUrl ? { checkUrl: this.options.checkUrl } : {}),
        });
        data = downloaded.data;
        // Fetched past the address checks: a vendor that reads inputs by URL may use it as it is.
        if (/^https:\/\//i.test(reference)) sourceUrl = reference;
      } catch (error) {
        if (isUigError(error) && error.status === 413)
          throw new PayloadTooLargeError(`${param}: ${error.message}`, { param });
        if (isUigError(error) && error.status === 400)
          throw new InvalidRequestError(`${param}: ${error.message}`, { param, code: error.code });
        throw new InvalidRequestError(`${param}: could not fetch ${url.host}: ${(error as Error).message}`, {
          param,
          code: 'IMAGE_URL_UNREACHABLE',
        });
      }
    } else if (isImageId(reference)) {
      const stored = await this.options.store.read(reference);
      if (!stored)
        throw new NotFoundError(`${param}: no stored image with id ${reference}.`, {
          param,
          code: 'IMAGE_NOT_FOUND',
        });
      data = stored.data;
      id = reference;
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(reference)) {
      throw new InvalidRequestError(
        `${param}: only https://, http:// and data: URLs are accepted, or a stored image id.`,
        { param, code: 'INVALID_IMAGE_URL' },
      );
    } else {
      throw new InvalidRequestError(
        `${param}: give a data URI (data:image/png;base64,...), an https URL, or a stored image id (32 hex characters).`,
        { param, code: 'INVALID_IMAGE' },
      );
    }
    const image = this.check(data, param, id);
    return sourceUrl ? { ...image, sourceUrl } : image;
  }

  /** Checks bytes that arrived directly (a multipart upload, a file). */
  check(data: Buffer, param: string, id?: string): InputImage {
    if (data.length > this.options.maxBytes)
      throw new PayloadTooLargeError(
        `${param}: the image is ${data.length} bytes; the limit is ${this.options.maxBytes}.`,
        { param },
      );
    const info = sniffImage(data);
    const defect = info ? imageDefect(data) : undefined;
    if (!info || defect !== undefined)
      throw new InvalidRequestError(
        info
          ? `${param}: the image is damaged: ${defect}. Send the whole file.`
          : `${param}: not a PNG, JPEG, WebP or GIF image.`,
        { param, code: 'INVALID_IMAGE' },
      );
    if (info.width * info.height > this.options.maxPixels) {
      throw new InvalidRequestError(
        `${param}: ${info.width}x${info.height} is more than ${this.options.maxPixels} pixels.`,
        { param, code: 'IMAGE_TOO_LARGE' },
      );
    }
    return { data, mimeType: info.mimeType, width: info.width, height: info.height, ...(id ? { id } : {}) };
  }
}
