import { z } from 'zod';
import { nativeImagesResponseSchema, openaiImagesResponseSchema } from './api-schemas.js';
import { imageRouteErrors } from './error-responses.js';
import { jobSchema } from './job-schemas.js';

/**
 * The schema every image route declares: its body, the Prefer header, the answer as JSON,
 * as server-sent events (stream: true) or as a job (Prefer: respond-async), and every
 * error it can answer (docs/api.md, "Streaming" and "Jobs").
 */
const preferHeaders = z
  .object({
    prefer: z
      .string()
      .optional()
      .describe(
        'respond-async: answer 202 with a job at once (same checks first) instead of waiting; follow it at GET /v1/jobs/{id}.',
      ),
  })
  .loose();

const events = {
  openai:
    "stream: true: OpenAI's image stream. `image_generation.partial_image` (or `image_edit.partial_image`) events with b64_json and partial_image_index, then one `image_generation.completed` (`image_edit.completed`) per image with b64_json, size, output_format and usage when known; a failure after the stream opened is an `error` event with the Error envelope.",
  native:
    'stream: true: `progress` events ({message, progress?, total?}), `partial_image` events ({index, b64_json, mime_type}), then one `completed` event whose data is the NativeImagesResponse; a failure after the stream opened is an `error` event with the Error envelope.',
};

interface ImageRouteOptions<Body extends z.ZodType> {
  summary: string;
  description: string;
  operationId: string;
  body: Body;
  consumes?: string[];
  /** Which answer: OpenAI's ImagesResponse or the native one. */
  shape: 'openai' | 'native';
  /** Whether `stream: true` is taken (not by variations). */
  streams?: boolean;
}

export function imageRouteSchema<Body extends z.ZodType>({
  shape,
  body,
  consumes,
  streams = true,
  ...about
}: ImageRouteOptions<Body>) {
  return {
    ...about,
    tags: ['images'],
    ...(consumes ? { consumes } : {}),
    headers: preferHeaders,
    body,
    response: {
      200: {
        description: streams
          ? 'The images (JSON), or with stream: true the server-sent events.'
          : 'The images.',
        content: {
          'application/json': {
            schema: shape === 'openai' ? openaiImagesResponseSchema : nativeImagesResponseSchema,
          },
          ...(streams ? { 'text/event-stream': { schema: z.string().describe(events[shape]) } } : {}),
        },
      },
      202: {
        description:
          'Prefer: respond-async: the job, queued (Location: /v1/jobs/{id}); its result is the body a 200 would have had.',
        content: { 'application/json': { schema: jobSchema } },
      },
      ...imageRouteErrors,
    },
  };
}
