import { randomUUID } from 'node:crypto';
import type { FakeResponse } from '../fake-upstream.js';
import { geminiTriggers } from './gemini-fake-errors.js';
import { type GeminiFakeSettings, geminiImageAspectRatios } from './gemini-fake-options.js';
import { type GeminiReply, geminiErrorTrigger } from './gemini-fake-reply.js';
import {
  base64Pattern,
  generateContentFields,
  generationConfigFields,
  imageConfigFields,
  inputImageTypes,
  is20Model,
  isObject,
  type JsonObject,
  safetyRatings,
  triggerTokens,
} from './gemini-fake-rules.js';

/** docs/providers/gemini.md §3.3 request checks for `:generateContent`; returns the error to send, or the response body. */
export function checkGenerateContent(
  reply: GeminiReply,
  settings: GeminiFakeSettings,
  model: string,
  body: JsonObject,
): FakeResponse | JsonObject {
  const unknown = Object.keys(body).find((field) => !generateContentFields.has(field));
  if (unknown)
    return reply.invalid(`Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`);
  if (!Array.isArray(body.contents) || body.contents.length === 0)
    return reply.invalid('* GenerateContentRequest.contents: contents is not specified');
  const texts: string[] = [];
  let inputImages = 0;
  for (const [contentIndex, content] of (body.contents as unknown[]).entries()) {
    if (!isObject(content) || !Array.isArray(content.parts) || content.parts.length === 0) {
      return reply.invalid(
        `* GenerateContentRequest.contents[${contentIndex}].parts: contents.parts must not be empty.`,
      );
    }
    for (const [partIndex, part] of (content.parts as unknown[]).entries()) {
      const where = `contents[${contentIndex}].parts[${partIndex}]`;
      if (isObject(part) && typeof part.text === 'string') texts.push(part.text);
      else if (isObject(part) && isObject(part.inlineData)) {
        const { mimeType, data } = part.inlineData;
        if (typeof data !== 'string' || !base64Pattern.test(data) || data.length % 4 !== 0) {
          return reply.invalid(
            `Invalid value at '${where}.inline_data.data' (TYPE_BYTES), Base64 decoding failed`,
          );
        }
        if (typeof mimeType !== 'string' || !inputImageTypes.has(mimeType))
          return reply.invalid(`Unsupported MIME type: ${String(mimeType)}`);
        inputImages += 1;
      } else return reply.invalid(`* GenerateContentRequest.${where}: part must hold text or inline_data.`);
    }
  }

  const config = body.generationConfig ?? {};
  if (!isObject(config)) return reply.invalid("Invalid value at 'generation_config': expected an object.");
  const unknownConfig = Object.keys(config).find((field) => !generationConfigFields.has(field));
  if (unknownConfig)
    return reply.invalid(
      `Invalid JSON payload received. Unknown name "${unknownConfig}" at 'generation_config': Cannot find field.`,
    );
  if (config.candidateCount !== undefined && config.candidateCount !== 1)
    return reply.invalid('Multiple candidates is not enabled for this model.');

  // docs/providers/gemini.md §3.3: values are case-insensitive in practice. 2.0 answers text unless told otherwise.
  const given = config.responseModalities;
  if (
    given !== undefined &&
    (!Array.isArray(given) ||
      given.some((value) => typeof value !== 'string' || !['TEXT', 'IMAGE'].includes(value.toUpperCase())))
  ) {
    return reply.invalid("Invalid value at 'generation_config.response_modalities'.");
  }
  const modalities: string[] = given
    ? (given as string[]).map((value) => value.toUpperCase())
    : is20Model(model)
      ? ['TEXT']
      : ['TEXT', 'IMAGE'];
  const wantsImage = modalities.includes('IMAGE');
  if (
    wantsImage &&
    !modalities.includes('TEXT') &&
    (is20Model(model) || settings.imageOnlyModalities === 'reject')
  ) {
    return reply.invalid('Model does not support the requested response modalities: image');
  }

  const imageConfig = config.imageConfig ?? {};
  if (!isObject(imageConfig))
    return reply.invalid("Invalid value at 'generation_config.image_config': expected an object.");
  for (const field of Object.keys(imageConfig)) {
    // docs/providers/gemini.md §3.3: outputMimeType and outputCompressionQuality are not supported in the Gemini API.
    if (!imageConfigFields.has(field))
      return reply.invalid(
        `Invalid JSON payload received. Unknown name "${field}" at 'generation_config.image_config': Cannot find field.`,
      );
  }
  if (
    imageConfig.aspectRatio !== undefined &&
    !(geminiImageAspectRatios as readonly unknown[]).includes(imageConfig.aspectRatio)
  ) {
    return reply.invalid(
      `Unsupported aspect ratio: ${String(imageConfig.aspectRatio)}. Supported: ${geminiImageAspectRatios.join(', ')}.`,
    );
  }
  if (imageConfig.imageSize !== undefined) {
    // docs/providers/gemini.md §3.3: upper-case K is required (observed); the gemini-3 models take it (unverified for others).
    // docs/providers/gemini.md §15: `512` is a tier too now.
    if (!['512', '1K', '2K', '4K'].includes(imageConfig.imageSize))
      return reply.invalid(
        `Unsupported image size: ${String(imageConfig.imageSize)}. Supported: 512, 1K, 2K, 4K.`,
      );
    if (!model.startsWith('gemini-3') && settings.imageSizeOnOtherModels === 'reject')
      return reply.invalid(`imageSize is not supported for models/${model}.`);
  }

  const tokens = triggerTokens(texts.join(' '));
  const failure = geminiErrorTrigger(reply, settings, tokens, model);
  if (failure) return failure;
  const common = { modelVersion: model, responseId: randomUUID().replace(/-/g, '').slice(0, 22) };
  const textTokens = Math.ceil(texts.join(' ').length / 4);
  const promptTokenCount = textTokens + 258 * inputImages;
  const promptUsage = {
    promptTokenCount,
    totalTokenCount: promptTokenCount,
    promptTokensDetails: [
      { modality: 'TEXT', tokenCount: textTokens },
      ...(inputImages > 0 ? [{ modality: 'IMAGE', tokenCount: 258 * inputImages }] : []),
    ],
  };

  const blockReason = [...tokens]
    .map((token) => /^FAKE_GEMINI_BLOCK_([A-Z_]+)$/.exec(token)?.[1])
    .find(Boolean);
  if (blockReason) {
    return {
      ...(settings.blockedPromptCandidates === 'empty' ? { candidates: [] } : {}),
      promptFeedback: { blockReason, safetyRatings },
      usageMetadata: promptUsage,
      ...common,
    };
  }
  if (tokens.has(geminiTriggers.feedbackOnly))
    return { candidates: [], promptFeedback: { blockReasonMessage: 'The prompt was blocked.' }, ...common };
  if (tokens.has(geminiTriggers.noCandidates))
    return { candidates: [], usageMetadata: promptUsage, ...common };

  const finishReason = [...tokens]
    .map((token) => /^FAKE_GEMINI_FINISH_([A-Z_]+)$/.exec(token)?.[1])
    .find(Boolean);
  if (finishReason) {
    const refusal = settings.refusalParts;
    const content =
      refusal === 'absent'
        ? {}
        : {
            content: {
              role: 'model',
              parts: refusal === 'text' ? [{ text: "I can't create that image." }] : [],
            },
          };
    return { candidates: [{ ...content, finishReason, index: 0 }], usageMetadata: promptUsage, ...common };
  }
  if (!wantsImage || tokens.has(geminiTriggers.textOnly)) {
    const parts = [{ text: 'I would describe that scene as a quiet harbour at dawn.' }];
    return {
      candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { ...promptUsage, candidatesTokenCount: 14, totalTokenCount: promptTokenCount + 14 },
      ...common,
    };
  }

  // docs/providers/gemini.md §3.3: one 1024-class image is 1290 tokens; gemini-3 counts 1120 up to 2K and 2000 at 4K (unverified).
  const imageTokens = model.startsWith('gemini-3') ? (imageConfig.imageSize === '4K' ? 2000 : 1120) : 1290;
  const image = {
    inlineData: { mimeType: settings.imageMimeType, data: settings.image.toString('base64') },
  };
  const text = { text: 'Here is the image you asked for.' };
  const thoughts =
    settings.thoughtParts === 'always' ||
    (settings.thoughtParts === 'gemini-3-pro' && model.startsWith('gemini-3-pro'))
      ? [
          { text: '**Composing the scene**\nPlanning the layout first.', thought: true },
          {
            inlineData: { mimeType: 'image/png', data: settings.thoughtImage.toString('base64') },
            thought: true,
          },
        ]
      : [];
  const position = settings.textPosition;
  const parts = [
    ...thoughts,
    ...(position === 'before' ? [text] : []),
    image,
    ...(position === 'after' ? [text] : []),
  ];
  const candidatesTokenCount = imageTokens + (position === 'none' ? 0 : 8);
  const thoughtsTokenCount = thoughts.length > 0 ? 300 : 0;
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
    usageMetadata: {
      promptTokenCount,
      candidatesTokenCount,
      ...(thoughtsTokenCount ? { thoughtsTokenCount } : {}),
      totalTokenCount: promptTokenCount + candidatesTokenCount + thoughtsTokenCount,
      promptTokensDetails: promptUsage.promptTokensDetails,
      candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: imageTokens }],
    },
    ...common,
  };
}
