import { type ProgressEvent, type ProviderImage, InvalidUpstreamResponseError } from '@uig/core';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { seedreamStreamEventSchema } from './seedream-responses.js';
import type { SeedreamOutcome } from './seedream-result.js';

/**
 * Reads the docs/providers/seedream.md §11.5 event stream: `partial_succeeded` per finished
 * image (reported as progress), `partial_failed` per blocked one, `completed` with the usage,
 * then `[DONE]`.
 */
export async function readSeedreamStream(
  body: ReadableStream<Uint8Array>,
  context: {
    provider: string;
    vendorRequestId: string | undefined;
    onProgress?: ((event: ProgressEvent) => void) | undefined;
  },
): Promise<SeedreamOutcome> {
  const outcome: SeedreamOutcome = {
    images: [],
    failures: [],
    usage: undefined,
    vendorRequestId: context.vendorRequestId,
  };
  const events = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  for await (const event of events) {
    if (event.data === '[DONE]') break;
    let json: unknown;
    try {
      json = JSON.parse(event.data);
    } catch {
      throw new InvalidUpstreamResponseError(`${context.provider} sent an event that is not JSON.`, {
        provider: context.provider,
        vendorRequestId: context.vendorRequestId,
      });
    }
    const parsed = seedreamStreamEventSchema.safeParse(json);
    if (!parsed.success) continue;
    const data = parsed.data;
    const type = data.type ?? event.event;
    const index = data.image_index ?? outcome.images.length + outcome.failures.length;
    if (type === 'image_generation.partial_succeeded') {
      const image: ProviderImage | undefined = data.url
        ? { kind: 'url', url: data.url }
        : data.b64_json
          ? { kind: 'base64', data: data.b64_json }
          : undefined;
      if (image) outcome.images.push(image);
      context.onProgress?.({
        type: 'status',
        message: `${context.provider}: image ${index + 1} ready${data.size ? ` (${data.size})` : ''}.`,
      });
    } else if (type === 'image_generation.partial_failed') {
      outcome.failures.push({
        index,
        code: data.error?.code ?? undefined,
        message: data.error?.message ?? '',
      });
      context.onProgress?.({
        type: 'status',
        message: `${context.provider}: image ${index + 1} failed (${data.error?.code ?? 'no code'}).`,
      });
    } else if (type === 'image_generation.completed') {
      outcome.usage = data.usage;
    } else if (data.error) {
      // An error in the stream itself (§11.6 envelope inside an event).
      outcome.failures.push({ index, code: data.error.code ?? undefined, message: data.error.message ?? '' });
    }
  }
  return outcome;
}
