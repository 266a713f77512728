import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { modelLifecycle, modelPrice } from '@uig/runtime';
import { capabilitySummary, costHint, lifecycleHint, modelCatalog } from './model-catalog.js';
import type { McpServerDependencies } from './server-dependencies.js';
import { imageToolAnnotations } from './tool-annotations.js';
import { errorToolResult } from './tool-result.js';
import { listModelsInput, listModelsOutput, type ListModelsOutput } from './tool-schemas.js';

export function registerListModelsTool(server: McpServer, deps: McpServerDependencies): void {
  server.registerTool(
    'list_models',
    {
      title: 'List image models',
      description:
        'List the image models this server can use (only those your key may use): provider/model id, what each can do (generate, edit, mask, sizes or aspect ratios, n, seed, negative prompt, quality values) its lifecycle (retired models are refused, deprecated ones give a shutdown date) and price. Pass an id as model to generate_image or edit_image.',
      inputSchema: listModelsInput,
      outputSchema: listModelsOutput,
      // The issue asks for the same annotations on every tool, though this one only reads configuration.
      annotations: imageToolAnnotations,
    },
    () => {
      try {
        const catalog = modelCatalog(deps.registry, deps.client);
        const structured: ListModelsOutput = {
          default_model:
            catalog.find((entry) => entry.isDefault)?.resolved.name ?? deps.registry.defaultName(),
          models: catalog.map(({ resolved, isDefault }) => ({
            id: resolved.name,
            provider: resolved.provider.id,
            description: resolved.model.description,
            default: isDefault,
            lifecycle: modelLifecycle(resolved.model),
            ...modelPrice(resolved.model),
            capabilities: { ...resolved.model.capabilities },
          })),
        };
        const lines = catalog.map(
          ({ resolved, isDefault }) =>
            `${resolved.name}${isDefault ? ' (default)' : ''}${lifecycleHint(resolved.model)}: ${resolved.model.description} [${capabilitySummary(resolved.model.capabilities)}; ${costHint(resolved.model)}]`,
        );
        return {
          content: [{ type: 'text', text: lines.join('\n') || 'No model is available to this key.' }],
          structuredContent: structured,
        };
      } catch (error) {
        return errorToolResult(error);
      }
    },
  );
}
