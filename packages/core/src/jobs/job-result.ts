import type { GeneratedImage, ImageResult } from '../images/image-service.js';
import type { ImageStore } from '../storage/image-store.js';
import type { JobResult } from './job-record.js';

/**
 * A job's result as the ImageResult a synchronous call returns, its images read back
 * from the store (`withBytes: false` skips the read when the answer needs only URLs).
 * A job's images are always stored: it runs without `deliversBytes`, so a store
 * failure fails the job instead.
 */
export async function loadJobResult(
  result: JobResult,
  store: ImageStore,
  withBytes = true,
): Promise<ImageResult> {
  const images = await Promise.all(
    result.images.map(async (image): Promise<GeneratedImage> => {
      const stored = withBytes ? await store.read(image.id) : undefined;
      // Presigned URLs expire: made afresh whenever a job's answer is read.
      const directUrl = await store.directUrl(image.id);
      return {
        ...image,
        stored: true,
        ...(directUrl ? { directUrl } : {}),
        data: stored?.data ?? Buffer.alloc(0),
      };
    }),
  );
  return { ...result, images };
}
