import { z } from 'zod';
import {
  errorResponseSchema,
  nativeImagesResponseSchema,
  openaiImagesResponseSchema,
} from './api-schemas.js';

/** The job routes' answers (docs/api.md, "Jobs"), as job-body.ts builds them. */
const progressSchema = z
  .object({ message: z.string(), progress: z.number().optional(), total: z.number().optional() })
  .meta({ id: 'Progress', description: 'A progress report: a vendor poll, local rendering, ...' });

export const jobSchema = z
  .object({
    id: z.string().describe('job_... ; GET /v1/jobs/{id}.'),
    object: z.literal('image.job'),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
    created: z.number().int().describe('Unix seconds.'),
    started_at: z.number().int().nullable().describe('Unix seconds; null until it starts.'),
    finished_at: z.number().int().nullable().describe('Unix seconds; null until it ends.'),
    model: z.string().nullable().describe('provider/model asked for (or that made the images).'),
    progress: progressSchema.nullable().describe('The latest progress report.'),
    // Native first: an OpenAI answer lacks the native fields, a native one would also pass
    // the OpenAI schema (which would drop its extra fields).
    result: z
      .union([nativeImagesResponseSchema, openaiImagesResponseSchema])
      .nullable()
      .describe(
        'Once succeeded: the body the synchronous call would have answered (OpenAI shape for the OpenAI routes, native for POST /v1/images), with freshly signed URLs. Always null in GET /v1/jobs.',
      ),
    error: errorResponseSchema.shape.error
      .nullable()
      .describe("Once failed or cancelled: the error envelope's error object."),
  })
  .meta({ id: 'Job' });

export const jobListSchema = z
  .object({ object: z.literal('list'), data: z.array(jobSchema) })
  .meta({ id: 'JobList', description: "The caller's recent jobs, newest first, without result." });

export const jobEventsDescription =
  'Server-sent events: `job` (data: the Job now), then `progress` (data: Progress) and `partial_image` (data: {index, b64_json, mime_type}) as they happen, then one of `completed` (data: the result body), `failed` (data: the Error envelope) or `cancelled` (data: the Job); then the stream ends.';
