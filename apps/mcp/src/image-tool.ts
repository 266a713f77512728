import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { isFinished } from '@uig/core';
import { imageTaskOptions, type ImageTaskCall } from './image-task-store.js';
import { refusedCall, runImageCall, submitImageCall, type ImageCall } from './image-tool-runner.js';
import { ProgressReporter } from './progress-reporter.js';
import type { McpServerDependencies } from './server-dependencies.js';
import { imageToolAnnotations } from './tool-annotations.js';
import { imageResultOutput } from './tool-schemas.js';

/**
 * Registers a tool that makes images (generate_image, edit_image, the seed tools) with
 * MCP task support `optional` (docs/mcp.md, "MCP tasks"): a client that asks for a task
 * gets one at once, backed by the job store (ImageTaskStore); any other call runs in the
 * foreground as before. `toCall` maps the validated input to the call, and throws a
 * UigError for input it refuses (answered as an isError result, or a failed task).
 */
export interface ImageToolConfig<Input extends z.ZodObject> {
  title: string;
  description: string;
  inputSchema: Input;
  /** Prefix of a failure's text ("Error generating image: " for the seed tools). */
  errorPrefix?: string;
}

export function registerImageTool<Input extends z.ZodObject>(
  server: McpServer,
  deps: McpServerDependencies,
  name: string,
  config: ImageToolConfig<Input>,
  toCall: (input: z.output<Input>) => ImageCall,
): void {
  const { errorPrefix } = config;
  server.experimental.tasks.registerToolTask<z.ZodObject, typeof imageResultOutput>(
    name,
    {
      title: config.title,
      description: config.description,
      inputSchema: config.inputSchema,
      outputSchema: imageResultOutput,
      annotations: imageToolAnnotations,
      execution: { taskSupport: 'optional' },
    },
    {
      createTask: async (args, extra) => {
        // The SDK validated the arguments against inputSchema before this call.
        const input = args as z.output<Input>;
        const failure: { provider?: string } = {};
        const build = (): ImageCall => ({
          ...toCall(input),
          tool: name,
          ...(errorPrefix ? { errorPrefix } : {}),
        });
        const call: ImageTaskCall = {
          submit: async () => {
            const { job } = await submitImageCall(deps, build(), extra.signal, failure);
            deps.logger.log('info', 'image task', {
              request_id: job.id,
              client: deps.client?.name ?? 'anonymous',
              kind: job.request.kind,
            });
            const token = extra._meta?.progressToken;
            // The progress token stays valid for the task's life (MCP tasks, "Task Progress
            // Notifications"). Only stdio keeps a connection to send them on: a stateless HTTP
            // server is gone once it answered CreateTaskResult.
            if (token !== undefined && deps.settings.transport === 'stdio')
              forwardProgress(
                deps,
                job.id,
                new ProgressReporter(token, extra.sendNotification, deps.settings.progressIntervalMs),
              );
            return job;
          },
          foreground: async () => {
            let imageCall: ImageCall;
            try {
              imageCall = build();
            } catch (error) {
              return call.refused(error);
            }
            return runImageCall(deps, imageCall, extra);
          },
          refused: (error) =>
            refusedCall(
              deps,
              error,
              `mcp_${randomUUID().replaceAll('-', '')}`,
              errorPrefix,
              failure.provider,
            ),
        };
        return { task: await extra.taskStore.createTask(imageTaskOptions(call)) };
      },
      // The SDK answers tasks/get and tasks/result from the store itself; these serve its API's shape.
      getTask: (_args, extra) => extra.taskStore.getTask(extra.taskId),
      getTaskResult: async (_args, extra) =>
        (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
    },
  );
}

/** A task's job progress as notifications/progress, until the job ends. */
function forwardProgress(deps: McpServerDependencies, jobId: string, reporter: ProgressReporter): void {
  reporter.start(`Image task ${jobId} started`);
  const stop = () => {
    unsubscribe();
    reporter.stop();
  };
  const unsubscribe = deps.jobs.subscribe(jobId, (event) => {
    if (event.type === 'progress') reporter.forward(event.event);
    else if (isFinished(event.job)) stop();
  });
  // It may have ended before the subscription.
  void deps.jobs.get(jobId).then((job) => (!job || isFinished(job)) && stop());
}
