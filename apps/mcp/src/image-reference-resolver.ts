import { isImageId, type InputImage, type InputImageResolver } from '@uig/core';
import type { InputFileReader } from './input-file-reader.js';

/**
 * What a tool caller may give as an image: a data URI, an http(s) URL or a stored
 * image id (core's resolver checks and fetches these, as for REST), or a file path
 * (or file:// URL) under the allowed roots. The bytes are checked the same way
 * whichever form they came in.
 */
export class ImageReferenceResolver {
  constructor(
    private readonly resolver: InputImageResolver,
    private readonly files: InputFileReader,
  ) {}

  async resolve(reference: string, param: string, signal?: AbortSignal): Promise<InputImage> {
    const trimmed = reference.trim();
    if (/^(data:|https?:\/\/)/i.test(trimmed) || isImageId(trimmed))
      return this.resolver.resolve(trimmed, param, signal);
    // Any other scheme (ftp:, s3:, ...) gets core's message naming the accepted forms;
    // a Windows drive letter (C:\...) is a path, not a scheme.
    if (/^[a-z][a-z0-9+.-]+:/i.test(trimmed) && !/^file:/i.test(trimmed))
      return this.resolver.resolve(trimmed, param, signal);
    return this.resolver.check(await this.files.read(trimmed, param), param);
  }
}
