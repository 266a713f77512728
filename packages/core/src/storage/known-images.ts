import type { StoredImage } from './image-store.js';

/**
 * What an image store remembers of the images it stored or looked up in this process, by
 * id, so a second put of the same bytes or a stat of a known id skips the backend. An id's
 * bytes never change, so an entry never goes stale; the oldest goes first past `max`.
 */
export class KnownImages {
  private readonly images = new Map<string, StoredImage>();

  constructor(private readonly max = 10_000) {}

  get(id: string): StoredImage | undefined {
    return this.images.get(id);
  }

  has(id: string): boolean {
    return this.images.has(id);
  }

  delete(id: string): void {
    this.images.delete(id);
  }

  /** Records the image and returns it. */
  remember(image: StoredImage): StoredImage {
    if (this.images.size >= this.max) this.images.delete(this.images.keys().next().value!);
    this.images.set(image.id, image);
    return image;
  }
}
