import type { JobRecord } from '@uig/core';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerDependencies } from './server-dependencies.js';

/** JSON-RPC code MCP uses for an unknown resource (spec, server/resources "Error Handling"). */
const resourceNotFound = -32002;

const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.floor(ms / 1000));

/**
 * A job as `uig://jobs/{id}` shows it: the REST job's fields (docs/api.md, "Jobs"), with
 * the result's images as ids and `uig://images/<id>` resources (get_image_job or
 * tasks/result return the images themselves).
 */
function jobView(job: JobRecord) {
  const result = job.result;
  return {
    id: job.id,
    object: 'image.job',
    status: job.status,
    created: seconds(job.createdAt),
    started_at: seconds(job.startedAt),
    finished_at: seconds(job.finishedAt),
    model: result?.model ?? job.request.model ?? null,
    progress: job.progress ?? null,
    result: result
      ? {
          model: result.model,
          provider: result.provider,
          images: result.images.map((image) => ({
            id: image.id,
            uri: `uig://images/${image.id}`,
            mime_type: image.mimeType,
            width: image.width,
            height: image.height,
            byte_length: image.byteLength,
            ...(image.revisedPrompt !== undefined ? { revised_prompt: image.revisedPrompt } : {}),
          })),
          warnings: result.warnings,
          usage: { images: result.usage.images, estimated_cost_usd: result.usage.estimatedCostUsd },
        }
      : null,
    error: job.error
      ? {
          code: job.error.code,
          message: job.error.message,
          type: job.error.type,
          ...(job.error.param ? { param: job.error.param } : {}),
        }
      : null,
  };
}

/**
 * Image jobs as MCP resources at `uig://jobs/{id}` (the link a call past the foreground
 * deadline answers with): resources/read gives the job's state now as JSON. A job belongs
 * to the key that made it; for any other key it does not exist. Not listed in
 * resources/list (tasks/list and GET /v1/jobs list a key's jobs).
 */
export function registerJobResource(server: McpServer, deps: McpServerDependencies): void {
  const client = deps.client?.name ?? 'anonymous';
  server.registerResource(
    'image-job',
    new ResourceTemplate('uig://jobs/{id}', { list: undefined }),
    {
      title: 'Image job',
      description:
        'An image generation or edit running in the background: its status, progress, and once done the image ids.',
      mimeType: 'application/json',
    },
    async (uri, variables) => {
      const id = String(variables.id ?? '');
      const job = await deps.jobs.get(id);
      if (!job || job.client !== client)
        throw new McpError(resourceNotFound, `No image job ${uri.href} for this key.`, { uri: uri.href });
      return {
        contents: [
          { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(jobView(job), null, 2) },
        ],
      };
    },
  );
}
