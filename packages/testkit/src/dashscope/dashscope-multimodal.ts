import { randomUUID } from 'node:crypto';
import type { FakeResponse, RecordedRequest, RouteContext } from '../fake-upstream.js';
import { imageBytesProblem, isObject } from './dashscope-fake-checks.js';
import { bracketedTrigger, dashScopeErrorBody } from './dashscope-fake-errors.js';

/**
 * The synchronous `multimodal-generation/generation` call (docs/providers/wanx.md §13.2): no
 * `X-DashScope-Async`, images in the answer. Input images may be https/http URLs (fetched
 * on loopback), data URIs, or `oss://` temporary uploads (§13.1).
 */

export interface MultimodalFake {
  error(code: string, message?: string): FakeResponse;
  inputCheck(
    url: string,
    field: string,
    model: string,
    request: RecordedRequest,
    signal: AbortSignal,
  ): Promise<{ problem?: string; size?: string } | { response: FakeResponse }>;
  /** A loopback URL serving the result image. */
  serveImage(): string;
}

/** docs/providers/wanx.md §13.2: images per call and input images, per model (relay docs; unverified). */
const limits: Record<string, { n: [number, number]; defaultN: number; inputs: [number, number] }> = {
  'qwen-image': { n: [1, 1], defaultN: 1, inputs: [0, 0] },
  'qwen-image-plus': { n: [1, 1], defaultN: 1, inputs: [0, 0] },
  'qwen-image-max': { n: [1, 1], defaultN: 1, inputs: [0, 0] },
  'qwen-image-2.0': { n: [1, 6], defaultN: 1, inputs: [0, 0] },
  'qwen-image-2.0-pro': { n: [1, 6], defaultN: 1, inputs: [0, 0] },
  'qwen-image-edit': { n: [1, 1], defaultN: 1, inputs: [1, 3] },
  'qwen-image-edit-plus': { n: [1, 6], defaultN: 1, inputs: [1, 3] },
  'wan2.6-t2i': { n: [1, 4], defaultN: 4, inputs: [0, 0] },
  'wan2.6-image': { n: [1, 4], defaultN: 1, inputs: [1, 4] },
};

const dataUri = /^data:image\/[\w.+-]+;base64,(.+)$/;

export async function multimodalAnswer(
  fake: MultimodalFake,
  { request, signal }: RouteContext,
  syncModels: readonly string[],
): Promise<FakeResponse> {
  const body = request.json;
  if (!isObject(body)) return fake.error('InvalidParameter', 'The request body is not valid JSON.');
  const model = body.model;
  if (typeof model !== 'string' || model === '')
    return fake.error('InvalidParameter', 'Model not specified.');
  const rule = limits[model] ?? { n: [1, 4], defaultN: 1, inputs: [0, 4] };
  if (!syncModels.includes(model)) return fake.error('ModelNotFound');
  const input = body.input;
  const messages = isObject(input) ? input.messages : undefined;
  const message = Array.isArray(messages) && messages.length === 1 ? messages[0] : undefined;
  if (!isObject(message) || message.role !== 'user' || !Array.isArray(message.content))
    return fake.error('InvalidParameter', 'input.messages must hold one user message with content.');
  const texts: string[] = [];
  const images: string[] = [];
  for (const item of message.content as unknown[]) {
    if (isObject(item) && typeof item.text === 'string') texts.push(item.text);
    else if (isObject(item) && typeof item.image === 'string') images.push(item.image);
    else return fake.error('InvalidParameter', 'Each content item must be {text} or {image}.');
  }
  const prompt = texts.join('\n');
  if (prompt.trim() === '')
    return fake.error('InvalidParameter', 'Field required: input.messages.content.text');
  const [minInputs, maxInputs] = rule.inputs;
  if (images.length < minInputs || images.length > maxInputs)
    return fake.error(
      'InvalidParameter',
      maxInputs === 0
        ? `Model ${model} takes no input image.`
        : `Model ${model} takes ${minInputs}-${maxInputs} input images.`,
    );
  for (const [index, image] of images.entries()) {
    const field = `input.messages.content[${index}].image`;
    const encoded = dataUri.exec(image);
    const checked = encoded
      ? imageBytesProblem(Buffer.from(encoded[1]!, 'base64'), field)
      : await fake.inputCheck(image, field, model, request, signal);
    if ('response' in checked) return checked.response;
    if (checked.problem) return fake.error('InvalidParameter', checked.problem);
  }

  const parameters = body.parameters === undefined ? {} : body.parameters;
  if (!isObject(parameters)) return fake.error('InvalidParameter', 'parameters must be an object.');
  const n = parameters.n ?? rule.defaultN;
  if (!Number.isInteger(n) || (n as number) < rule.n[0] || (n as number) > rule.n[1])
    return fake.error('InvalidParameter', `n must be in [${rule.n[0]}, ${rule.n[1]}] for ${model}.`);
  let width = 1328;
  let height = 1328;
  if (parameters.size !== undefined) {
    const match = typeof parameters.size === 'string' ? /^(\d+)\*(\d+)$/.exec(parameters.size) : null;
    if (!match) return fake.error('InvalidParameter', `size must be of the form width*height.`);
    width = Number(match[1]);
    height = Number(match[2]);
  }
  if (typeof parameters.negative_prompt === 'string' && parameters.negative_prompt.length > 500)
    return fake.error('InvalidParameter', 'negative_prompt is longer than 500 characters.');
  for (const flag of ['prompt_extend', 'watermark']) {
    if (parameters[flag] !== undefined && typeof parameters[flag] !== 'boolean')
      return fake.error('InvalidParameter', `${flag} must be a boolean.`);
  }
  const errorCode = bracketedTrigger('ERROR', prompt);
  if (errorCode) return fake.error(errorCode);
  const okCode = bracketedTrigger('200', prompt);
  if (okCode) return { status: 200, json: dashScopeErrorBody(okCode) };

  return {
    status: 200,
    json: {
      output: {
        choices: [
          {
            finish_reason: 'stop',
            message: {
              role: 'assistant',
              content: Array.from({ length: n as number }, () => ({ image: fake.serveImage() })),
            },
          },
        ],
      },
      usage: { width, height, image_count: n },
      request_id: randomUUID(),
    },
  };
}
