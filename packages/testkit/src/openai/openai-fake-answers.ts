import type { FakeResponse, SseEvent } from '../fake-upstream.js';
import { openaiErrorBody, openaiTriggers } from './openai-fake-errors.js';
import { type Job, outputTokens } from './openai-fake-rules.js';

/** The OpenAI fake's success bodies: JSON (docs/providers/openai.md §2.6) and streams (§2.7). */

export interface OpenAIAnswerContext {
  image: Buffer;
  /** The response headers (request id, rate limits); counts the request as served. */
  headers: () => Record<string, string>;
  /** A URL the fake serves `data` at (DALL·E `response_format: url`). */
  serveFile: (data: Buffer) => string;
  sendDone: boolean;
}

/** docs/providers/openai.md §2.6 usage for GPT image: deterministic numbers shaped like the vendor's. */
function openaiUsage(job: Job, images: number, withInput = true): Record<string, unknown> {
  const size = job.size === 'auto' ? '1024x1024' : job.size;
  const table = outputTokens[job.quality] ?? outputTokens.medium!;
  const [width, height] = size.split('x').map(Number) as [number, number];
  const perImage = table[size] ?? Math.round(table['1024x1024']! * ((width * height) / 1024 ** 2));
  const textTokens = withInput ? Math.ceil(job.prompt.length / 4) : 0;
  const imageTokens = withInput ? job.inputImages * 323 : 0;
  const output = perImage * images;
  return {
    total_tokens: textTokens + imageTokens + output,
    input_tokens: textTokens + imageTokens,
    output_tokens: output,
    input_tokens_details: { text_tokens: textTokens, image_tokens: imageTokens },
    output_tokens_details: { image_tokens: output, text_tokens: 0 },
  };
}

export function openaiAnswer(job: Job, context: OpenAIAnswerContext): FakeResponse {
  const { image, serveFile } = context;
  const created = Math.floor(Date.now() / 1000);
  const headers = context.headers();
  if (job.family === 'gpt-image' || job.family === 'gpt-image-2') {
    const b64 = image.toString('base64');
    return {
      status: 200,
      headers,
      json: {
        created,
        background: job.background,
        output_format: job.outputFormat,
        quality: job.quality,
        size: job.size === 'auto' ? '1024x1024' : job.size,
        data: Array.from({ length: job.n }, () => ({ b64_json: b64 })),
        usage: openaiUsage(job, job.n),
      },
    };
  }
  const data = Array.from({ length: job.n }, () => ({
    ...(job.responseFormat === 'url' ? { url: serveFile(image) } : { b64_json: image.toString('base64') }),
    // docs/providers/openai.md §2.6: revised_prompt is dall-e-3 only.
    ...(job.family === 'dall-e-3' ? { revised_prompt: `A detailed, vivid rendering of: ${job.prompt}` } : {}),
  }));
  return { status: 200, headers, json: { created, data } };
}

/** docs/providers/openai.md §2.7: per image, `partial_images` partial events, then a completed event with usage. */
export function openaiStreamAnswer(
  job: Job,
  signal: AbortSignal,
  { image, headers, sendDone }: OpenAIAnswerContext,
): FakeResponse {
  const prefix = job.kind === 'edit' ? 'image_edit' : 'image_generation';
  const b64 = image.toString('base64');
  const common = {
    size: job.size === 'auto' ? '1024x1024' : job.size,
    quality: job.quality,
    background: job.background,
    output_format: job.outputFormat,
  };
  const failMidway = job.prompt.includes(openaiTriggers.streamError);
  const usage = (index: number) => openaiUsage(job, 1, index === 0);
  async function* events(): AsyncGenerator<SseEvent> {
    for (let index = 0; index < job.n && !signal.aborted; index++) {
      for (let partial = 0; partial < job.partialImages; partial++) {
        const event = `${prefix}.partial_image`;
        yield {
          event,
          data: JSON.stringify({
            type: event,
            b64_json: b64,
            partial_image_index: partial,
            created_at: Math.floor(Date.now() / 1000),
            ...common,
          }),
        };
        if (failMidway) {
          yield {
            event: 'error',
            data: JSON.stringify({ type: 'error', error: openaiErrorBody('server_error').error }),
          };
          return;
        }
      }
      if (failMidway) {
        yield {
          event: 'error',
          data: JSON.stringify({ type: 'error', error: openaiErrorBody('server_error').error }),
        };
        return;
      }
      const event = `${prefix}.completed`;
      yield {
        event,
        data: JSON.stringify({
          type: event,
          b64_json: b64,
          created_at: Math.floor(Date.now() / 1000),
          ...common,
          usage: usage(index),
        }),
      };
    }
    if (sendDone) yield { data: '[DONE]' };
  }
  return { status: 200, headers: headers(), sse: events() };
}

/** Benchmarks: a precomputed body per n; only the key was checked. */
