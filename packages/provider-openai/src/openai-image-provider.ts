import type OpenAI from 'openai';
import {
  ModelNotFoundError,
  parseVendorJson,
  readResponseBody,
  type ImageProvider,
  type ModelDescriptor,
  type ProviderCall,
  type ProviderResult,
  type ImageKind,
  type ProviderSettings,
  type Warning,
} from '@uig/core';
import { checkOpenAICall, wantsStream, type CheckedCall } from './openai-call-check.js';
import { OpenAIClientCache } from './openai-client-cache.js';
import { openaiError } from './openai-error.js';
import { consumeImageStream } from './openai-image-stream.js';
import { defaultOpenAIModel, openaiModels, type OpenAIModel } from './openai-models.js';
import { openaiOptionsSchema, type OpenAIOptions } from './openai-options.js';
import { editBody, generationBody, variationBody } from './openai-request-body.js';
import { toProviderResult } from './openai-responses.js';
import { openaiSettingsSchema, type OpenAISettings } from './openai-settings.js';

/**
 * The OpenAI Images adapter (docs/providers/openai.md §2) on the official SDK: one normalized call
 * in, one vendor call out. It serves OpenAI and any OpenAI-compatible server; the
 * provider id is `settings.id` (`openai`, or an extra provider's name) everywhere.
 */
class OpenAIImageProvider implements ImageProvider {
  readonly id: string;
  readonly models: readonly ModelDescriptor[];
  readonly defaultModel: string;
  readonly optionsSchema = openaiOptionsSchema;
  private readonly byId: Map<string, OpenAIModel>;
  private readonly clients: OpenAIClientCache;

  constructor(
    private readonly settings: ProviderSettings,
    private readonly options: OpenAISettings,
  ) {
    this.id = settings.id;
    const models = openaiModels(options.models, options.dalleResponseFormat === 'url' ? 'url' : 'base64');
    this.byId = new Map(models.map((model) => [model.descriptor.id, model]));
    this.models = models.map((model) => model.descriptor);
    this.defaultModel =
      options.defaultModel ?? (options.models ? models[0]!.descriptor.id : defaultOpenAIModel);
    this.clients = new OpenAIClientCache({
      fetch: settings.fetch,
      organization: options.organization,
      project: options.project,
      headers: options.headers,
      query: options.query,
      apiKeyHeader: options.apiKeyHeader,
    });
  }

  check(call: CheckedCall, kind: ImageKind): Warning[] {
    return checkOpenAICall(call, kind, this.model(call.model), this.id);
  }

  generate(call: ProviderCall): Promise<ProviderResult> {
    return this.run(call, 'generate');
  }

  edit(call: ProviderCall): Promise<ProviderResult> {
    return this.run(call, 'edit');
  }

  variation(call: ProviderCall): Promise<ProviderResult> {
    return this.run(call, 'variation');
  }

  private model(id: string): OpenAIModel {
    const model = this.byId.get(id);
    if (!model)
      throw new ModelNotFoundError(
        `${this.id} has no model "${id}"; it offers ${[...this.byId.keys()].join(', ')}.`,
        { provider: this.id },
      );
    return model;
  }

  private client(call: ProviderCall, model: OpenAIModel): OpenAI {
    const base = (call.credential.baseURL ?? this.settings.baseURL).replace(/\/+$/, '');
    // Azure: `<endpoint>/openai/deployments/<deployment>/images/generations?api-version=...`.
    const baseURL = model.deployment ? `${base}/deployments/${encodeURIComponent(model.deployment)}` : base;
    return this.clients.clientFor(call.credential, baseURL);
  }

  private async run(call: ProviderCall, kind: ImageKind): Promise<ProviderResult> {
    const model = this.model(call.model);
    // Core checks first; checking again keeps the adapter safe when called on its own.
    checkOpenAICall(call, kind, model, this.id);
    const options = call.providerOptions as OpenAIOptions;
    const client = this.client(call, model);
    const requestOptions = {
      signal: call.signal,
      ...(this.options.sendClientRequestId ? { headers: { 'X-Client-Request-Id': call.requestId } } : {}),
    };
    const context = { provider: this.id, signal: call.signal };
    const outputFormat = options.output_format;
    try {
      // docs/providers/openai.md §2.5: variations never stream (only GPT image streams, and only dall-e-2 varies).
      if (kind !== 'variation' && wantsStream(options)) {
        const pending =
          kind === 'edit'
            ? client.images.edit(
                { ...(await editBody(call, model, this.options)), stream: true },
                requestOptions,
              )
            : client.images.generate(
                { ...generationBody(call, model, this.options), stream: true },
                requestOptions,
              );
        const { data: stream, response, request_id } = await pending.withResponse();
        const vendorRequestId = request_id ?? undefined;
        // A compatible server may ignore `stream` and answer plain JSON (docs/providers/openai.md §2.7 is OpenAI's).
        if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
          return toProviderResult(await readImagesAnswer(response, call.signal), {
            provider: this.id,
            n: call.n,
            outputFormat,
            vendorRequestId,
          });
        }
        return await consumeImageStream(stream, {
          ...context,
          n: call.n,
          outputFormat,
          vendorRequestId,
          onProgress: call.onProgress,
        });
      }
      const pending =
        kind === 'edit'
          ? client.images.edit(await editBody(call, model, this.options), requestOptions)
          : kind === 'variation'
            ? client.images.createVariation(await variationBody(call, model, this.options), requestOptions)
            : client.images.generate(generationBody(call, model, this.options), requestOptions);
      // The raw answer, read and parsed once here (the SDK's own parse would hold each image three times).
      const response = await pending.asResponse();
      return toProviderResult(await readImagesAnswer(response, call.signal), {
        provider: this.id,
        n: call.n,
        outputFormat,
        vendorRequestId: response.headers.get('x-request-id') ?? undefined,
      });
    } catch (error) {
      throw openaiError(error, context);
    }
  }
}

/**
 * A docs/providers/openai.md §2.6 answer: the body read once, each `b64_json` decoded
 * into one buffer on the way (core's parseVendorJson), an empty body as the SDK reads it.
 */
async function readImagesAnswer(response: Response, signal: AbortSignal): Promise<unknown> {
  const body = await readResponseBody(response, signal);
  return body.length === 0 ? undefined : parseVendorJson(body, ['b64_json']);
}

/** The adapter for `settings.id`, with `settings.options` as in openai-settings.ts. */
export function createOpenAIProvider(settings: ProviderSettings): ImageProvider {
  return new OpenAIImageProvider(settings, openaiSettingsSchema.parse(settings.options ?? {}));
}
