import {
  fromJobError,
  isFinished,
  NotFoundError,
  loadJobResult,
  waitForJob,
  type JobRecord,
  type Warning,
} from '@uig/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ProgressReporter } from './progress-reporter.js';
import type { McpServerDependencies } from './server-dependencies.js';
import { errorToolResult, imageToolResult, type SavedImage } from './tool-result.js';
import type { ImageResultOutput } from './tool-schemas.js';

/**
 * A tool call follows its job (docs/mcp.md, "Long generations"): it waits at most
 * `waitMs`, forwarding the job's progress, and answers with the images once the job
 * succeeded (saved under the output root, as always), the error once it failed, or,
 * when the job outlives the wait, a normal (not an error) result that says the image is
 * still being made, with the job id and a `uig://jobs/{id}` resource link: the job goes
 * on, and get_image_job fetches it later.
 */
/**
 * How a tool shows its job's result: plain data, kept in the job's origin, so a later
 * get_image_job or tasks/result (maybe in another process) answers as the call would have.
 */
export interface Presentation {
  fullSize: boolean;
  /** First words of the text block (the seed tools' "Image saved to:"), followed by each path. */
  headline?: string;
  warnings?: Warning[];
  /** Prefix of a failure's text ("Error generating image: " for the seed tools). */
  errorPrefix?: string;
}

/** The presentation a job's origin carries (`{}` for a job made elsewhere, such as over REST). */
export function presentationOf(job: JobRecord): Presentation {
  const stored = job.origin.presentation as Partial<Presentation> | undefined;
  return {
    fullSize: stored?.fullSize === true,
    ...(typeof stored?.headline === 'string' ? { headline: stored.headline } : {}),
    ...(Array.isArray(stored?.warnings) ? { warnings: stored.warnings } : {}),
    ...(typeof stored?.errorPrefix === 'string' ? { errorPrefix: stored.errorPrefix } : {}),
  };
}

/** The seed tools' first lines: "Image saved to: <path>" and, for http(s) URLs, "Remote URL: <url>". */
function headlineLines(first: string, saved: SavedImage[]): string[] {
  return saved.flatMap((image, index) => [
    `${index === 0 ? first : 'Also saved to:'} ${image.path}`,
    ...(/^https?:/.test(image.url) ? [`Remote URL: ${image.url}`] : []),
  ]);
}

export interface FollowOptions {
  waitMs: number;
  signal: AbortSignal;
  reporter?: ProgressReporter | undefined;
  /** The caller cancelling its call cancels the job (a foreground call); get_image_job only stops waiting. */
  cancelOnAbort: boolean;
  presentation: Presentation;
}

export async function followJob(
  deps: McpServerDependencies,
  jobId: string,
  options: FollowOptions,
): Promise<CallToolResult> {
  const stop = deps.jobs.subscribe(jobId, (event) => {
    if (event.type === 'progress') options.reporter?.forward(event.event);
  });
  const onAbort = () => void deps.jobs.cancel(jobId).catch(() => undefined);
  if (options.cancelOnAbort) options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const job = await waitForJob(deps.jobs, jobId, options.waitMs, options.signal);
    if (!job)
      return errorToolResult(new NotFoundError(`The job ${jobId} is gone.`, { code: 'JOB_NOT_FOUND' }));
    return await jobToolResult(deps, job, options.presentation);
  } finally {
    stop();
    options.signal.removeEventListener('abort', onAbort);
  }
}

/** The tool result for a job as it stands: the images, the error, or "still being made". */
export async function jobToolResult(
  deps: McpServerDependencies,
  job: JobRecord,
  presentation: Presentation,
): Promise<CallToolResult> {
  if (!isFinished(job)) return pendingToolResult(job);
  if (job.status !== 'succeeded' || !job.result)
    return errorToolResult(
      fromJobError(
        job.error ?? {
          code: 'INTERNAL_ERROR',
          status: 500,
          type: 'server_error',
          message: 'The job failed.',
        },
      ),
      {
        requestId: job.id,
        ...(presentation.errorPrefix ? { prefix: presentation.errorPrefix } : {}),
      },
    );
  const result = await loadJobResult(job.result, deps.store);
  const clientName = deps.client?.name ?? 'anonymous';
  const saved: SavedImage[] = [];
  for (const image of result.images) {
    const file = await deps.output.save(image.id, image.extension, image.data);
    const resourceUri = `uig://images/${image.id}`;
    saved.push({
      id: image.id,
      path: file.path,
      fileName: file.fileName,
      url: image.directUrl ?? deps.urlFor({ id: image.id, path: file.path }),
      resourceUri,
      mimeType: image.mimeType,
      width: image.width,
      height: image.height,
      byteLength: image.byteLength,
      data: image.data,
      ...(image.revisedPrompt !== undefined ? { revisedPrompt: image.revisedPrompt } : {}),
    });
    deps.recent.add(clientName, {
      id: image.id,
      uri: resourceUri,
      fileName: file.fileName,
      path: file.path,
      mimeType: image.mimeType,
      width: image.width,
      height: image.height,
      byteLength: image.byteLength,
      model: result.model,
      prompt: job.request.prompt,
      createdAt: new Date().toISOString(),
    });
  }
  return imageToolResult(result, saved, {
    fullSize: presentation.fullSize,
    ...(presentation.headline ? { headline: headlineLines(presentation.headline, saved) } : {}),
    warnings: presentation.warnings ?? [],
  });
}

function pendingToolResult(job: JobRecord): CallToolResult {
  const structured: ImageResultOutput = {
    request_id: job.id,
    model: job.request.model ?? '',
    provider: '',
    images: [],
    warnings: [],
    usage: { images: 0, estimated_cost_usd: 0 },
    job: { id: job.id, status: job.status, ...(job.progress ? { progress: job.progress.message } : {}) },
  };
  const text = [
    `The image is still being made (job ${job.id}, ${job.status}${job.progress ? `: ${job.progress.message}` : ''}).`,
    `It goes on in the background: call get_image_job with job_id "${job.id}" (and wait_seconds up to 30) to get it when it is done.`,
  ].join('\n');
  return {
    content: [
      { type: 'text', text },
      {
        type: 'resource_link',
        uri: `uig://jobs/${job.id}`,
        name: job.id,
        mimeType: 'application/json',
        description: 'The image job: its status now, and the images once it is done.',
      },
    ],
    structuredContent: structured,
  };
}
