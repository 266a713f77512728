import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerEditImageTool } from './edit-image-tool.js';
import { registerGenerateImageTool } from './generate-image-tool.js';
import { registerGetImageJobTool } from './get-image-job-tool.js';
import { registerImageResources } from './image-resources.js';
import { ImageTaskStore } from './image-task-store.js';
import { registerJobResource } from './job-resource.js';
import { registerListModelsTool } from './list-models-tool.js';
import { registerSeedTools } from './seed-tools.js';
import type { McpServerDependencies } from './server-dependencies.js';

/**
 * The MCP server, separate from any transport: stdio connects one for the whole
 * process; Streamable HTTP builds one per request (stateless, with that request's
 * client key), as SDK ≥ 1.26 requires.
 */
export function buildServer(deps: McpServerDependencies): McpServer {
  const server = new McpServer(
    { name: 'uig', title: 'uig image gateway', version: deps.version },
    {
      capabilities: {
        tools: {},
        resources: {},
        // MCP tasks (2025-11-25) for the image tools, backed by the job store (docs/mcp.md).
        tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
      },
      taskStore: new ImageTaskStore(deps),
      instructions:
        'Image generation and editing through the providers this server is configured with. Call list_models to see what each model can do, generate_image to create images, edit_image to change one (by file path, URL, data URI or the id of an earlier result). Results are saved as files; the inline image may be a preview. A generation still running after a while answers with a job id: get_image_job returns it when done.',
    },
  );
  registerGenerateImageTool(server, deps);
  registerEditImageTool(server, deps);
  registerListModelsTool(server, deps);
  registerGetImageJobTool(server, deps);
  registerSeedTools(server, deps);
  registerImageResources(server, deps);
  registerJobResource(server, deps);
  return server;
}
