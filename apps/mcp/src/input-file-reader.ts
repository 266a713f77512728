import { InvalidRequestError, PayloadTooLargeError, PermissionDeniedError } from '@uig/core';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads an image file a tool caller named, only from the allowed roots. The path
 * and every root are resolved to their real paths first, so neither `..` nor a
 * symlink that points outside can escape; the file must be a regular file under
 * the size limit.
 */
export class InputFileReader {
  constructor(
    readonly roots: readonly string[],
    private readonly maxBytes: number,
    private readonly cwd: string = process.cwd(),
  ) {}

  private async resolvedRoots(): Promise<string[]> {
    // A root that does not exist cannot hold a file: it is skipped, not fatal.
    const roots = await Promise.all(this.roots.map((root) => realpath(root).catch(() => undefined)));
    return roots.filter((root): root is string => root !== undefined);
  }

  /** `file:///...` URLs are accepted as paths; a relative path is taken from the server's working directory. */
  async read(given: string, param: string): Promise<Buffer> {
    const path = given.startsWith('file:') ? fileURLToPath(given) : given;
    const absolute = isAbsolute(path) ? path : resolve(this.cwd, path);
    let real: string;
    try {
      real = await realpath(absolute);
    } catch {
      throw new InvalidRequestError(
        `${param}: no file at ${absolute}. Give an existing image file under ${this.roots.join(' or ')}, a data URI, an https URL or a stored image id.`,
        { param, code: 'FILE_NOT_FOUND' },
      );
    }
    const roots = await this.resolvedRoots();
    const inside = roots.some((root) => {
      const fromRoot = relative(root, real);
      return (
        fromRoot === '' || (!fromRoot.startsWith(`..${sep}`) && fromRoot !== '..' && !isAbsolute(fromRoot))
      );
    });
    if (!inside) {
      throw new PermissionDeniedError(
        `${param}: ${given} is outside the folders this server may read (${this.roots.join(', ')}). Copy the image into one of them, pass it as a data URI, or set UIG_MCP_INPUT_ROOTS.`,
        { param, code: 'PATH_NOT_ALLOWED' },
      );
    }
    const handle = await open(real, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile())
        throw new InvalidRequestError(`${param}: ${given} is not a regular file.`, {
          param,
          code: 'INVALID_IMAGE',
        });
      if (info.size > this.maxBytes)
        throw new PayloadTooLargeError(
          `${param}: ${given} is ${info.size} bytes; the limit is ${this.maxBytes}.`,
          { param },
        );
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }
}
