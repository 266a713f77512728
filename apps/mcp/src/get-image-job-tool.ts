import { NotFoundError } from '@uig/core';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ProgressReporter } from './progress-reporter.js';
import { followJob, presentationOf } from './job-tool-result.js';
import type { McpServerDependencies } from './server-dependencies.js';
import { errorToolResult } from './tool-result.js';
import { getImageJobInput, imageResultOutput } from './tool-schemas.js';

/**
 * get_image_job (docs/mcp.md): the result of an image call that outlived the foreground
 * deadline, in the same shape as generate_image, or its progress while it runs. Waits
 * up to `wait_seconds` (≤ 30, below every client's tool time-out). A job belongs to the
 * key that made it: another key is told it does not exist.
 */
export function registerGetImageJobTool(server: McpServer, deps: McpServerDependencies): void {
  server.registerTool(
    'get_image_job',
    {
      title: 'Get image job',
      description:
        'Get the images of a generate_image or edit_image call that was still running when it answered (its result had job.id), or how far along it is. Pass wait_seconds (up to 30) to wait for it.',
      inputSchema: getImageJobInput,
      outputSchema: imageResultOutput,
      // It saves the finished images under the output root (as generate_image does), calls no vendor.
      annotations: {
        readOnlyHint: false,
        openWorldHint: false,
        idempotentHint: true,
        destructiveHint: false,
      },
    },
    async (input, extra) => {
      const job = await deps.jobs.get(input.job_id);
      if (!job || job.client !== (deps.client?.name ?? 'anonymous'))
        return errorToolResult(
          new NotFoundError(`No image job ${input.job_id} for this key.`, {
            code: 'JOB_NOT_FOUND',
            param: 'job_id',
          }),
        );
      const token = extra._meta?.progressToken;
      const reporter =
        token !== undefined && input.wait_seconds
          ? new ProgressReporter(
              token,
              (notification) => extra.sendNotification(notification),
              deps.settings.progressIntervalMs,
            )
          : undefined;
      reporter?.start(`Waiting for image job ${job.id}`);
      try {
        return await followJob(deps, job.id, {
          waitMs: (input.wait_seconds ?? 0) * 1000,
          signal: extra.signal,
          reporter,
          cancelOnAbort: false,
          presentation: presentationOf(job),
        });
      } finally {
        reporter?.stop();
      }
    },
  );
}
