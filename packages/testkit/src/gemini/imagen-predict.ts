import type { FakeResponse } from '../fake-upstream.js';
import { tinyJpeg } from '../tiny-jpeg.js';
import { geminiTriggers } from './gemini-fake-errors.js';
import { type GeminiFakeSettings, imagenAspectRatios } from './gemini-fake-options.js';
import { type GeminiReply, geminiErrorTrigger } from './gemini-fake-reply.js';
import {
  imagenRefusedParameters,
  imagenSizedModels,
  isObject,
  type JsonObject,
  personGenerationValues,
  promptSafetyCategories,
  safetySettingValues,
  triggerTokens,
} from './gemini-fake-rules.js';

/** docs/providers/gemini.md §3.2 `:predict`. */
export function imagenPredict(
  reply: GeminiReply,
  settings: GeminiFakeSettings,
  model: string,
  body: JsonObject,
): FakeResponse {
  const instances = body.instances;
  if (!Array.isArray(instances) || instances.length !== 1 || !isObject(instances[0]))
    return reply.invalid('instances must hold exactly one instance.');
  const prompt = instances[0].prompt;
  if (typeof prompt !== 'string' || prompt.trim() === '')
    return reply.invalid('instances[0].prompt is required.');
  const unknownInstance = Object.keys(instances[0]).find((field) => field !== 'prompt');
  if (unknownInstance)
    return reply.invalid(`${unknownInstance} is not supported in the Gemini API for ${model}.`);
  const parameters = body.parameters ?? {};
  if (!isObject(parameters)) return reply.invalid('parameters must be an object.');

  for (const name of imagenRefusedParameters) {
    if (parameters[name] === undefined) continue;
    if (name === 'negativePrompt' && settings.negativePromptModels.includes(model)) continue;
    return reply.invalid(`${name} parameter is not supported in Gemini API.`);
  }
  const sampleCount = parameters.sampleCount ?? settings.imagenDefaultSampleCount;
  if (!Number.isInteger(sampleCount) || sampleCount < 1 || sampleCount > 4)
    return reply.invalid('sampleCount must be an integer between 1 and 4.');
  if (
    parameters.aspectRatio !== undefined &&
    !(imagenAspectRatios as readonly unknown[]).includes(parameters.aspectRatio)
  ) {
    return reply.invalid(
      `Unsupported aspect ratio: ${String(parameters.aspectRatio)}. Supported: ${imagenAspectRatios.join(', ')}.`,
    );
  }
  if (parameters.personGeneration !== undefined) {
    // docs/providers/gemini.md §3.2: the doc's lower case and the SDK's upper case both work (observed).
    const value =
      typeof parameters.personGeneration === 'string' ? parameters.personGeneration.toLowerCase() : '';
    if (!personGenerationValues.includes(value))
      return reply.invalid(`Unsupported personGeneration: ${String(parameters.personGeneration)}.`);
    if (value === 'allow_all' && !settings.allowAllPersonGeneration)
      return reply.invalid('allow_all for personGeneration is currently not supported.');
  }
  if (parameters.sampleImageSize !== undefined) {
    if (!imagenSizedModels.has(model)) return reply.invalid(`sampleImageSize is not supported for ${model}.`);
    if (!['1K', '2K'].includes(parameters.sampleImageSize))
      return reply.invalid(
        `Unsupported sampleImageSize: ${String(parameters.sampleImageSize)}. Supported: 1K, 2K.`,
      );
  }
  const outputOptions = parameters.outputOptions ?? {};
  if (!isObject(outputOptions)) return reply.invalid('outputOptions must be an object.');
  const mimeType = outputOptions.mimeType ?? settings.imagenDefaultMimeType;
  if (mimeType !== 'image/png' && mimeType !== 'image/jpeg')
    return reply.invalid(`Unsupported outputOptions.mimeType: ${String(mimeType)}.`);
  const quality = outputOptions.compressionQuality;
  if (quality !== undefined && (!Number.isInteger(quality) || quality < 0 || quality > 100))
    return reply.invalid('outputOptions.compressionQuality must be between 0 and 100.');
  if (
    parameters.safetySetting !== undefined &&
    !safetySettingValues.includes(String(parameters.safetySetting).toLowerCase())
  ) {
    return reply.invalid(`Unsupported safetySetting: ${String(parameters.safetySetting)}.`);
  }
  for (const flag of ['includeRaiReason', 'includeSafetyAttributes'] as const) {
    if (parameters[flag] !== undefined && typeof parameters[flag] !== 'boolean')
      return reply.invalid(`${flag} must be a boolean.`);
  }

  const tokens = triggerTokens(prompt);
  const failure = geminiErrorTrigger(reply, settings, tokens, model);
  if (failure) return failure;
  if (tokens.has(geminiTriggers.promptRejected)) return reply.error('PROMPT_BLOCKED');

  const filtered = tokens.has(geminiTriggers.filterAll)
    ? sampleCount
    : tokens.has(geminiTriggers.filterSome)
      ? Math.max(1, Math.floor(sampleCount / 2))
      : 0;
  const withReasons = parameters.includeRaiReason === true;
  const withSafety = parameters.includeSafetyAttributes === true;
  const data = (mimeType === 'image/jpeg' ? tinyJpeg() : settings.image).toString('base64');
  const predictions: JsonObject[] = [];
  for (let index = 0; index < sampleCount - filtered; index++) {
    predictions.push({
      bytesBase64Encoded: data,
      mimeType,
      ...(withSafety ? { safetyAttributes: { categories: ['Porn', 'Violence'], scores: [0, 0] } } : {}),
    });
  }
  if (filtered > 0 && withReasons) {
    const all = filtered === sampleCount;
    const reason = all
      ? "Unable to show generated images. All images were filtered out because they violated Google's Responsible AI practices. You will not be charged for blocked images. Try rephrasing the prompt. If you think this was an error, send feedback. Support codes: 39322892, 29310472"
      : `Your current safety filter threshold filtered out ${filtered} generated images. You will not be charged for blocked images. Try rephrasing the prompt. If you think this was an error, send feedback.`;
    const entries = settings.raiFilteredSlots === 'per-image' ? filtered : 1;
    for (let index = 0; index < entries; index++) predictions.push({ raiFilteredReason: reason });
  }
  if (withSafety && predictions.length > 0) {
    predictions.push({
      contentType: 'Positive Prompt',
      safetyAttributes: { categories: promptSafetyCategories, scores: promptSafetyCategories.map(() => 0) },
    });
  }
  // docs/providers/gemini.md §3.2 (unverified): with everything filtered and no reasons asked for, the body is `{}`.
  return { status: 200, json: predictions.length > 0 ? { predictions } : {}, headers: reply.headers() };
}
