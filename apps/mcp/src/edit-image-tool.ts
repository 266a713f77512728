import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerImageTool } from './image-tool.js';
import { imageSettings } from './image-tool-runner.js';
import { describeModels, modelCatalog } from './model-catalog.js';
import type { McpServerDependencies } from './server-dependencies.js';
import { editImageInput } from './tool-schemas.js';

export function registerEditImageTool(server: McpServer, deps: McpServerDependencies): void {
  const models = describeModels(
    modelCatalog(deps.registry, deps.client),
    (capabilities) => capabilities.edit,
  );
  registerImageTool(
    server,
    deps,
    'edit_image',
    {
      title: 'Edit image',
      description: [
        'Edit an existing image with a text prompt (optionally within a mask). The image may be',
        `a file path under ${deps.settings.inputRoots.join(' or ')}, an https URL, a data URI, or the id of an image generated earlier.`,
        `The result is saved under ${deps.settings.outputRoot} and returned like generate_image's.`,
        'Models that can edit (provider/model: description [capabilities; cost]):',
        models,
      ].join('\n'),
      inputSchema: editImageInput,
    },
    (input) => {
      const references = Array.isArray(input.image) ? input.image : [input.image];
      return {
        kind: 'edit',
        prompt: input.prompt,
        images: references.map((reference, index) => ({
          reference,
          param: references.length > 1 ? `image.${index}` : 'image',
        })),
        ...(input.mask !== undefined ? { mask: { reference: input.mask, param: 'mask' } } : {}),
        ...imageSettings(input),
      };
    },
  );
}
