import { sniffImage } from '@uig/core';
import type { FakeResponse } from '../fake-upstream.js';
import type { MultipartPart } from '../multipart.js';
import { type OpenAIErrorBodyOptions, type OpenAIErrorKind, openaiTriggers } from './openai-fake-errors.js';
import type { OpenAIFakeFamily, OpenAIFakeSettings } from './openai-fake-options.js';
import {
  editFields,
  type Fields,
  freeSizeProblem,
  generationFields,
  gptOnlyFields,
  type Job,
  megabytes,
  promptLimits,
  qualityLists,
  sizeLists,
  variationFields,
} from './openai-fake-rules.js';

/** How validation answers: the fake's error bodies and headers. */
export interface OpenAIReply {
  error(kind: OpenAIErrorKind, options?: OpenAIErrorBodyOptions & { status?: number }): FakeResponse;
  /** docs/providers/openai.md §2.8 invalid parameter, in the configured style. */
  invalid(field: string, message: string, code?: string): FakeResponse;
}

/** A request's fields checked per docs/providers/openai.md §2.3–2.5: the job to answer, or the vendor's error. */
export function validateOpenAIJob(
  reply: OpenAIReply,
  settings: OpenAIFakeSettings,
  kind: Job['kind'],
  fields: Fields,
  files: Map<string, MultipartPart[]>,
): Job | FakeResponse {
  const allowed = kind === 'generation' ? generationFields : kind === 'edit' ? editFields : variationFields;
  const unknown = Object.keys(fields).find((name) => !allowed.has(name));
  if (unknown)
    return reply.error('invalid_parameter', {
      message: `Unknown parameter: '${unknown}'.`,
      param: unknown,
      code: 'unknown_parameter',
    });

  const prompt = kind === 'variation' ? '' : fields.prompt;
  if (typeof prompt !== 'string' || (kind !== 'variation' && prompt.length === 0)) {
    return reply.error('invalid_parameter', {
      message: "Missing required parameter: 'prompt'.",
      param: 'prompt',
      code: 'missing_required_parameter',
    });
  }
  // docs/providers/openai.md §2.3: generations default to dall-e-2 unless a GPT-image-only field is present; docs/providers/openai.md §2.4: edits to gpt-image-1.5.
  const gptHint = gptOnlyFields.some((name) => fields[name] !== undefined);
  const model =
    typeof fields.model === 'string'
      ? fields.model
      : kind === 'edit'
        ? 'gpt-image-1.5'
        : kind === 'generation' && gptHint
          ? 'gpt-image-1'
          : 'dall-e-2';
  const family = settings.models[model];
  if (!family || settings.retiredModels.includes(model)) {
    return reply.error('model_not_found', {
      message: `The model \`${model}\` does not exist or you do not have access to it.`,
    });
  }
  const gpt = family === 'gpt-image' || family === 'gpt-image-2';
  if (kind === 'edit' && family === 'dall-e-3')
    return reply.invalid(
      'model',
      `Invalid model ${model}. The model must be one of gpt-image-1, gpt-image-1-mini, gpt-image-1.5, gpt-image-2, chatgpt-image-latest or dall-e-2`,
    );
  if (kind === 'variation' && family !== 'dall-e-2')
    return reply.invalid('model', `Invalid model ${model}. Variations support dall-e-2 only`);
  if (prompt.length > promptLimits[family]) {
    return reply.error('invalid_parameter', {
      message: `Invalid 'prompt': string too long. Expected a string with maximum length ${promptLimits[family]}, but got a string with length ${prompt.length} instead.`,
      param: 'prompt',
      code: 'string_above_max_length',
    });
  }

  const n = fields.n ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10)
    return reply.invalid('n', `${JSON.stringify(n)} is not a valid integer between 1 and 10`);
  if (family === 'dall-e-3' && n !== 1) return reply.invalid('n', 'dall-e-3 only supports n=1');

  // docs/providers/openai.md §2.3: generations default to `auto` on GPT image; docs/providers/openai.md §2.4: edits to 1024x1024.
  const size = fields.size ?? (kind === 'generation' && gpt ? 'auto' : '1024x1024');
  if (typeof size !== 'string')
    return reply.invalid('size', `${JSON.stringify(size)} is not of type 'string'`);
  if (!sizeLists[family].includes(size)) {
    const problem =
      family === 'gpt-image-2'
        ? freeSizeProblem(size)
        : `'${size}' is not one of ${JSON.stringify(sizeLists[family]).replaceAll('"', "'")}`;
    if (problem) return reply.invalid('size', problem);
  }

  const quality = fields.quality ?? 'auto';
  const qualities =
    kind === 'edit' && family === 'dall-e-2'
      ? ['standard', 'auto']
      : kind === 'variation'
        ? ['auto']
        : qualityLists[family];
  if (typeof quality !== 'string' || !qualities.includes(quality))
    return reply.invalid(
      'quality',
      `'${String(quality)}' is not one of ${JSON.stringify(qualities).replaceAll('"', "'")}`,
    );

  if (fields.style !== undefined) {
    if (family !== 'dall-e-3') return reply.invalid('style', 'style is only supported for dall-e-3');
    if (fields.style !== 'vivid' && fields.style !== 'natural')
      return reply.invalid('style', `'${String(fields.style)}' is not one of ['vivid', 'natural']`);
  }

  let responseFormat: Job['responseFormat'] = gpt ? 'b64_json' : 'url';
  if (fields.response_format !== undefined) {
    if (gpt && settings.gptImageResponseFormat === 'error') {
      return reply.error('invalid_parameter', {
        message: "Unknown parameter: 'response_format'.",
        param: 'response_format',
        code: 'unknown_parameter',
      });
    }
    if (fields.response_format !== 'url' && fields.response_format !== 'b64_json')
      return reply.invalid(
        'response_format',
        `'${String(fields.response_format)}' is not one of ['url', 'b64_json']`,
      );
    if (!gpt) responseFormat = fields.response_format;
  }

  if (!gpt) {
    const gptField = gptOnlyFields.find((name) => fields[name] !== undefined);
    if (gptField) return reply.invalid(gptField, `${gptField} is only supported for GPT image models`);
  }
  const outputFormat = fields.output_format ?? 'png';
  if (outputFormat !== 'png' && outputFormat !== 'jpeg' && outputFormat !== 'webp')
    return reply.invalid('output_format', `'${String(outputFormat)}' is not one of ['png', 'jpeg', 'webp']`);
  const background = fields.background ?? 'auto';
  if (background !== 'transparent' && background !== 'opaque' && background !== 'auto')
    return reply.invalid(
      'background',
      `'${String(background)}' is not one of ['transparent', 'opaque', 'auto']`,
    );
  // docs/providers/openai.md §2.3: a transparent background needs png or webp.
  if (background === 'transparent' && outputFormat === 'jpeg')
    return reply.invalid('background', 'Transparent background requires output_format png or webp');
  if (fields.output_compression !== undefined) {
    const compression = fields.output_compression;
    if (
      typeof compression !== 'number' ||
      !Number.isInteger(compression) ||
      compression < 0 ||
      compression > 100
    )
      return reply.invalid('output_compression', 'output_compression must be an integer between 0 and 100');
    if (outputFormat === 'png' && compression !== 100)
      return reply.invalid(
        'output_compression',
        'Compression less than 100 is only supported for JPEG and WEBP output formats',
      );
  }
  if (fields.moderation !== undefined && fields.moderation !== 'low' && fields.moderation !== 'auto')
    return reply.invalid('moderation', `'${String(fields.moderation)}' is not one of ['low', 'auto']`);
  if (fields.input_fidelity !== undefined) {
    if (fields.input_fidelity !== 'high' && fields.input_fidelity !== 'low')
      return reply.invalid(
        'input_fidelity',
        `'${String(fields.input_fidelity)}' is not one of ['high', 'low']`,
      );
    // docs/providers/openai.md §2.4: not for gpt-image-1-mini.
    if (model === 'gpt-image-1-mini')
      return reply.invalid('input_fidelity', 'input_fidelity is not supported for gpt-image-1-mini');
  }
  if (fields.stream !== undefined && typeof fields.stream !== 'boolean')
    return reply.invalid('stream', `${JSON.stringify(fields.stream)} is not of type 'boolean'`);
  const partialImages = fields.partial_images ?? 0;
  if (
    typeof partialImages !== 'number' ||
    !Number.isInteger(partialImages) ||
    partialImages < 0 ||
    partialImages > 3
  )
    return reply.invalid('partial_images', 'partial_images must be an integer between 0 and 3');
  if (fields.user !== undefined && typeof fields.user !== 'string')
    return reply.invalid('user', `${JSON.stringify(fields.user)} is not of type 'string'`);
  if (fields.safety_identifier !== undefined && typeof fields.safety_identifier !== 'string')
    return reply.invalid(
      'safety_identifier',
      `${JSON.stringify(fields.safety_identifier)} is not of type 'string'`,
    );

  let inputImages = 0;
  if (kind !== 'generation') {
    const inputs = checkInputs(reply, kind, family, files);
    if (!('count' in inputs)) return inputs;
    inputImages = inputs.count;
  }

  return {
    kind,
    family,
    prompt,
    n,
    size,
    quality: quality === 'auto' ? (gpt ? 'medium' : 'standard') : quality,
    background: background === 'auto' ? 'opaque' : background,
    outputFormat,
    responseFormat,
    stream: fields.stream === true,
    partialImages,
    inputImages,
  };
}

/** docs/providers/openai.md §2.4–2.5 input limits: GPT image png/webp/jpeg < 50 MB, up to 16; dall-e-2 one square PNG < 4 MB; mask PNG < 4 MB, first image's size. */
function checkInputs(
  reply: OpenAIReply,
  kind: Job['kind'],
  family: OpenAIFakeFamily,
  files: Map<string, MultipartPart[]>,
): { count: number } | FakeResponse {
  const images = [...(files.get('image') ?? []), ...(files.get('image[]') ?? [])];
  if (images.length === 0)
    return reply.error('invalid_parameter', {
      message: "Missing required parameter: 'image'.",
      param: 'image',
      code: 'missing_required_parameter',
    });
  const gpt = family === 'gpt-image' || family === 'gpt-image-2';
  if (images.length > (gpt ? 16 : 1))
    return reply.invalid('image', `Too many images: at most ${gpt ? 16 : 1}`);
  const infos = [];
  for (const image of images) {
    const info = sniffImage(image.data);
    const formats = gpt ? ['image/png', 'image/jpeg', 'image/webp'] : ['image/png'];
    if (!info || !formats.includes(info.mimeType)) {
      return reply.error('invalid_parameter', {
        message: `Invalid file 'image': unsupported mimetype. Supported file formats are ${formats.join(', ')}.`,
        param: 'image',
        code: 'invalid_image_format',
      });
    }
    if (image.data.length >= megabytes(gpt ? 50 : 4))
      return reply.invalid('image', `Image must be smaller than ${gpt ? 50 : 4} MB`);
    if (!gpt && info.width !== info.height) return reply.invalid('image', 'Image must be square');
    infos.push(info);
  }
  const mask = files.get('mask')?.[0];
  if (mask) {
    if (kind !== 'edit')
      return reply.error('invalid_parameter', {
        message: "Unknown parameter: 'mask'.",
        param: 'mask',
        code: 'unknown_parameter',
      });
    const info = sniffImage(mask.data);
    if (info?.mimeType !== 'image/png') return reply.invalid('mask', 'The mask must be a PNG image');
    if (mask.data.length >= megabytes(4)) return reply.invalid('mask', 'The mask must be smaller than 4 MB');
    if (info.width !== infos[0]!.width || info.height !== infos[0]!.height)
      return reply.invalid('mask', 'The mask and image must have the same dimensions');
  }
  return { count: images.length };
}

/** The error a trigger word in the prompt asks for (see `openaiTriggers`). */
export function triggeredOpenAIError(
  reply: OpenAIReply,
  settings: OpenAIFakeSettings,
  job: Job,
): FakeResponse | undefined {
  const prompt = job.prompt;
  const gpt = job.family === 'gpt-image' || job.family === 'gpt-image-2';
  const moderation = (): FakeResponse =>
    reply.error('moderation_blocked', settings.moderationDetails ? { moderationStage: 'input' } : {});
  if (prompt.includes(openaiTriggers.unsafe))
    return gpt ? moderation() : reply.error('content_policy_violation');
  if (prompt.includes(openaiTriggers.moderationBlocked)) return moderation();
  if (prompt.includes(openaiTriggers.contentPolicy)) return reply.error('content_policy_violation');
  if (prompt.includes(openaiTriggers.invalidParameter))
    return reply.invalid('size', "'512x513' is not one of ['256x256', '512x512', '1024x1024']");
  const simple: Array<[string, OpenAIErrorKind]> = [
    [openaiTriggers.invalidApiKey, 'invalid_api_key'],
    [openaiTriggers.permissionDenied, 'permission_denied'],
    [openaiTriggers.modelNotFound, 'model_not_found'],
    [openaiTriggers.rateLimit, 'rate_limit_exceeded'],
    [openaiTriggers.quota, 'insufficient_quota'],
    [openaiTriggers.serverError, 'server_error'],
  ];
  const hit = simple.find(([word]) => prompt.includes(word));
  return hit ? reply.error(hit[1]) : undefined;
}
