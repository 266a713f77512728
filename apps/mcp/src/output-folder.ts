import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where the MCP server saves what it generates: one folder, file names made here
 * (`<UTC timestamp>-<image id>.<ext>`), never taken from the caller, written with
 * `wx` so nothing existing is ever overwritten. The content-addressed store keeps
 * its own copy; this is the copy a person finds and opens.
 */
export interface SavedImageFile {
  path: string;
  fileName: string;
}

export class OutputFolder {
  private ready: Promise<unknown> | undefined;

  constructor(
    readonly root: string,
    private readonly now: () => number = Date.now,
  ) {}

  async save(id: string, extension: string, data: Uint8Array): Promise<SavedImageFile> {
    this.ready ??= mkdir(this.root, { recursive: true });
    await this.ready;
    const stamp = new Date(this.now())
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    for (let attempt = 0; ; attempt++) {
      const fileName = `${stamp}-${id}${attempt ? `-${attempt}` : ''}.${extension}`;
      const path = join(this.root, fileName);
      try {
        await writeFile(path, data, { flag: 'wx' });
        return { path, fileName };
      } catch (error) {
        // The same image saved twice in one second: keep both, under distinct names.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 20) throw error;
      }
    }
  }
}
