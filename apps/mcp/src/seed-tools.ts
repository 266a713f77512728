import { InvalidRequestError, type Warning } from '@uig/core';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerImageTool } from './image-tool.js';
import type { ImageCall } from './image-tool-runner.js';
import { parseGoogleModelType } from './seed-defaults.js';
import type { McpServerDependencies } from './server-dependencies.js';
import {
  seedGenerateInput,
  seedTransformEncodedInput,
  seedTransformFileInput,
  seedTransformUrlInput,
} from './tool-schemas.js';

/**
 * The seed project's tools (ECNU3D/universal-image-generator-mcp server.py), kept
 * under their names and parameters so its users can switch unchanged, mapped onto
 * the new core. Their text starts as the seed's did ("Image saved to: <path>",
 * "Remote URL: <url>"); the blocks after it and structuredContent are as for
 * generate_image. The seed registered the transform tools only when its provider
 * could edit; here they are always listed and answer with the fix when it cannot.
 */
const seedNote =
  'Compatibility tool of universal-image-generator-mcp; generate_image and edit_image take more settings.';

/** The seed's settings on every call; throws when IMAGE_PROVIDER names a vendor without its key. */
function seedCall(deps: McpServerDependencies, call: ImageCall): ImageCall {
  if (deps.seed.problem)
    throw new InvalidRequestError(deps.seed.problem, { code: 'PROVIDER_NOT_CONFIGURED' });
  // The seed rewrote every prompt for its provider ("smart language optimisation"); started with
  // its environment, these tools do the same unless the key or the configuration says otherwise.
  return deps.seed.provider ? { ...call, defaultPromptOptimization: 'enhance' } : call;
}

const isHttpUrl = (value: string) => /^https?:\/\//i.test(value.trim());

export function registerSeedTools(server: McpServer, deps: McpServerDependencies): void {
  const provider = deps.seed.provider ? `IMAGE_PROVIDER=${deps.seed.provider}` : 'the default model';

  registerImageTool(
    server,
    deps,
    'generate_image_from_text',
    {
      title: 'Generate image from text (seed compatibility)',
      description: `Generate an image based on the given text prompt using the configured image provider (${provider}). Returns the path of the saved image. ${seedNote}`,
      inputSchema: seedGenerateInput,
      errorPrefix: 'Error generating image: ',
    },
    (input) => {
      const warnings: Warning[] = [];
      let modelType;
      try {
        modelType =
          input.model_type === undefined ? undefined : parseGoogleModelType(input.model_type, 'model_type');
      } catch (error) {
        throw new InvalidRequestError((error as Error).message, {
          param: 'model_type',
          code: 'INVALID_PARAMETER',
        });
      }
      if (modelType && deps.seed.provider !== 'google') {
        warnings.push({
          type: 'unsupported',
          feature: 'model_type',
          message: 'model_type applies only with IMAGE_PROVIDER=google; it was not applied.',
        });
      }
      const model = deps.seed.generateModel(modelType);
      const mapped = deps.seed.generateWarning(modelType);
      if (mapped) warnings.push(mapped);
      return seedCall(deps, {
        kind: 'generate',
        prompt: input.prompt,
        ...(model ? { model } : {}),
        warnings,
        headline: 'Image saved to:',
      });
    },
  );

  const editModel = deps.seed.editModel();
  const transform = (
    reference: { reference: string; param: string },
    prompt: string,
    more: Partial<ImageCall> = {},
  ): ImageCall =>
    seedCall(deps, {
      kind: 'edit',
      prompt,
      images: [reference],
      ...(editModel ? { model: editModel } : {}),
      headline: 'Image transformed and saved to:',
      ...more,
    });

  registerImageTool(
    server,
    deps,
    'transform_image_from_encoded',
    {
      title: 'Transform image from base64 (seed compatibility)',
      description: `Transform an existing image based on the given text prompt using the configured image provider (${provider}). encoded_image must be "data:image/[format];base64,[data]". Returns the path of the transformed image. ${seedNote}`,
      inputSchema: seedTransformEncodedInput,
      errorPrefix: 'Error transforming image: ',
    },
    (input) => {
      if (!input.encoded_image.startsWith('data:image/'))
        throw new InvalidRequestError('Invalid image format. Expected data:image/[format];base64,[data]', {
          param: 'encoded_image',
          code: 'INVALID_IMAGE',
        });
      return transform({ reference: input.encoded_image, param: 'encoded_image' }, input.prompt);
    },
  );

  registerImageTool(
    server,
    deps,
    'transform_image_from_file',
    {
      title: 'Transform image file (seed compatibility)',
      description: `Transform an existing image file based on the given text prompt using the configured image provider (${provider}). The file must be under ${deps.settings.inputRoots.join(' or ')}. Returns the path of the transformed image. ${seedNote}`,
      inputSchema: seedTransformFileInput,
      errorPrefix: 'Error transforming image: ',
    },
    (input) => {
      if (/^(data:|https?:\/\/)/i.test(input.image_file_path))
        throw new InvalidRequestError(
          'image_file_path must be a file path; use transform_image_from_encoded or transform_image_from_url for data URIs and URLs.',
          { param: 'image_file_path', code: 'INVALID_IMAGE' },
        );
      return transform({ reference: input.image_file_path, param: 'image_file_path' }, input.prompt);
    },
  );

  registerImageTool(
    server,
    deps,
    'transform_image_from_url',
    {
      title: 'Transform image from URL (seed compatibility)',
      description: `Transform an existing image from a URL using the configured image provider (${provider}). With WanX (IMAGE_PROVIDER=bailian), function picks the editing function and mask_image_url gives the mask for description_edit_with_mask. Returns the path of the transformed image. ${seedNote}`,
      inputSchema: seedTransformUrlInput,
      errorPrefix: 'Error transforming image from URL: ',
    },
    (input) => {
      for (const [param, value] of [
        ['image_url', input.image_url],
        ['mask_image_url', input.mask_image_url],
      ] as const) {
        if (value !== undefined && !isHttpUrl(value))
          throw new InvalidRequestError(
            `${param} must be an http(s) URL; use transform_image_from_file or transform_image_from_encoded otherwise.`,
            { param, code: 'INVALID_IMAGE_URL' },
          );
      }
      return transform({ reference: input.image_url, param: 'image_url' }, input.prompt, {
        ...(input.mask_image_url !== undefined
          ? { mask: { reference: input.mask_image_url, param: 'mask_image_url' } }
          : {}),
        prepare: (resolved) => {
          // WanX takes the edit function as input.function (docs/providers/wanx.md §4.4); other vendors have no such
          // setting. Not given, the adapter picks description_edit, or description_edit_with_mask with a mask.
          if (resolved.providerType === 'wanx')
            return input.function !== undefined
              ? { providerOptions: { [resolved.provider.id]: { function: input.function } } }
              : {};
          if (input.function !== undefined && input.function !== 'description_edit') {
            return {
              warnings: [
                {
                  type: 'unsupported',
                  feature: 'function',
                  message: `function "${input.function}" is a WanX setting; ${resolved.name} does not have it, so it was not applied.`,
                },
              ],
            };
          }
          return {};
        },
      });
    },
  );
}
