import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerImageTool } from './image-tool.js';
import { imageSettings } from './image-tool-runner.js';
import { describeModels, modelCatalog } from './model-catalog.js';
import type { McpServerDependencies } from './server-dependencies.js';
import { generateImageInput } from './tool-schemas.js';

export function registerGenerateImageTool(server: McpServer, deps: McpServerDependencies): void {
  const models = describeModels(
    modelCatalog(deps.registry, deps.client),
    (capabilities) => capabilities.generate,
  );
  registerImageTool(
    server,
    deps,
    'generate_image',
    {
      title: 'Generate image',
      description: [
        'Generate images from a text prompt. Each image is saved under the output folder',
        `(${deps.settings.outputRoot}); the result gives its path, a URL, an inline preview, a resource link, and its id (pass the id to edit_image to refine it).`,
        'Settings a model cannot honour come back as warnings; settings it cannot take at all are refused with the reason.',
        'Models you can use (provider/model: description [capabilities; cost]):',
        models,
      ].join('\n'),
      inputSchema: generateImageInput,
    },
    (input) => ({ kind: 'generate', prompt: input.prompt, ...imageSettings(input) }),
  );
}
