import { once } from 'node:events';
import { createDeflate, type Deflate } from 'node:zlib';
import { pngFile, pngRows } from './png-encoder.js';

/**
 * A PNG encoded while its pixels are still being made: rows are handed over as they are
 * final (`feed`), and zlib compresses them on the thread pool while the caller paints the
 * next ones. The file is byte for byte what `encodePng` gives for the same pixels (zlib's
 * output does not depend on how its input is split when nothing is flushed). The local
 * provider paints in bands; compressing each band behind the next one takes the PNG
 * encode (a third of a 1024² render) off the render's wall time and off the event loop.
 */
export class PngStreamEncoder {
  private readonly deflate: Deflate;
  private readonly parts: Buffer[] = [];
  private readonly ended: Promise<unknown>;
  private rowsFed = 0;

  constructor(
    private readonly image: { width: number; height: number; channels: 3 | 4 },
    level = 1,
  ) {
    // Output room for a whole band's compressed rows: zlib hands its output back in pieces
    // of chunkSize, each a round trip through the event loop, which is busy painting the next band.
    this.deflate = createDeflate({ level, chunkSize: 1024 * 1024 });
    this.deflate.on('data', (part: Buffer) => this.parts.push(part));
    this.ended = once(this.deflate, 'end');
    // A destroyed encoder (the render was abandoned) rejects `ended`; nobody waits for it then.
    this.ended.catch(() => undefined);
  }

  /** Rows up to `toRow` (exclusive) of `pixels` are final: compress the ones not yet fed. */
  feed(pixels: Uint8Array, toRow: number): void {
    const end = Math.min(toRow, this.image.height);
    if (end <= this.rowsFed) return;
    this.deflate.write(pngRows(pixels, this.image.width * this.image.channels, this.rowsFed, end));
    this.rowsFed = end;
  }

  /** Feeds the remaining rows and returns the PNG file. */
  async finish(pixels: Uint8Array): Promise<Buffer> {
    this.feed(pixels, this.image.height);
    this.deflate.end();
    await this.ended;
    const { width, height, channels } = this.image;
    return pngFile(width, height, channels, Buffer.concat(this.parts));
  }

  /** Stops compressing (the render was cancelled or failed). */
  abandon(): void {
    this.deflate.destroy();
  }
}
