import {
  InvalidUpstreamResponseError,
  isUigError,
  malformedResponse,
  transportError,
  upstreamRequest,
  type ProviderCall,
} from '@uig/core';
import { geminiError } from './gemini-error.js';

/**
 * HTTP to the Gemini API: `POST {base}/models/{model}:{method}` with the key in
 * `x-goog-api-key` (docs/providers/gemini.md §3.0; the SDK uses the header, and a header never lands in
 * access logs the way `?key=` does). Non-2xx answers become core errors (docs/providers/gemini.md §3.1).
 */
export interface GeminiClientOptions {
  provider: string;
  baseURL: string;
  fetch: typeof globalThis.fetch;
}

export type GeminiMethod = 'generateContent' | 'streamGenerateContent' | 'predict';

export class GeminiClient {
  constructor(private readonly options: GeminiClientOptions) {}

  get provider(): string {
    return this.options.provider;
  }

  private url(call: ProviderCall, method: GeminiMethod): string {
    const base = (call.credential.baseURL ?? this.options.baseURL).replace(/\/+$/, '');
    return `${base}/models/${encodeURIComponent(call.model)}:${method}`;
  }

  private errorContext(call: ProviderCall) {
    return { provider: this.options.provider, model: call.model, apiKey: call.credential.apiKey };
  }

  /** One JSON exchange; the parsed 2xx body. */
  async post(call: ProviderCall, method: 'generateContent' | 'predict', body: unknown): Promise<unknown> {
    const response = await upstreamRequest({
      provider: this.options.provider,
      fetch: this.options.fetch,
      url: this.url(call, method),
      method: 'POST',
      headers: { 'x-goog-api-key': call.credential.apiKey },
      body,
      signal: call.signal,
    });
    if (response.status < 200 || response.status >= 300) throw geminiError(response, this.errorContext(call));
    if (response.json === undefined) throw malformedResponse(this.options.provider, response);
    return response.json;
  }

  /**
   * docs/providers/gemini.md §3.3 `:streamGenerateContent?alt=sse`: each `data:` line is a whole
   * GenerateContentResponse chunk, handed to `onChunk` as it arrives.
   */
  async stream(call: ProviderCall, body: unknown, onChunk: (chunk: unknown) => void): Promise<void> {
    const provider = this.options.provider;
    let response: Response;
    try {
      response = await this.options.fetch(`${this.url(call, 'streamGenerateContent')}?alt=sse`, {
        method: 'POST',
        headers: {
          'x-goog-api-key': call.credential.apiKey,
          'content-type': 'application/json',
          accept: 'text/event-stream',
        },
        body: JSON.stringify(body),
        signal: call.signal,
      });
    } catch (error) {
      throw transportError(error, call.signal, provider);
    }
    try {
      if (!response.ok || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        const text = await response.text();
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        const answer = { status: response.status, headers: response.headers, json, text };
        if (!response.ok) throw geminiError(answer, this.errorContext(call));
        // Without SSE the stream is one JSON array of chunks (docs/providers/gemini.md §3.3); a proxy may do that.
        if (!Array.isArray(json)) throw malformedResponse(provider, answer, 'an event stream');
        json.forEach(onChunk);
        return;
      }
      if (!response.body)
        throw malformedResponse(
          provider,
          { status: response.status, headers: response.headers, json: undefined, text: '' },
          'an event stream',
        );
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(bytes, { stream: true });
        buffer = drainEvents(buffer, onChunk, provider);
      }
      drainEvents(`${buffer}${decoder.decode()}\n\n`, onChunk, provider);
    } catch (error) {
      if (isUigError(error)) throw error;
      throw transportError(error, call.signal, provider);
    }
  }
}

/** Hands every complete SSE event in `buffer` to `onChunk`; returns the incomplete rest. */
function drainEvents(buffer: string, onChunk: (chunk: unknown) => void, provider: string): string {
  const events = buffer.split(/\r?\n\r?\n/);
  const rest = events.pop() ?? '';
  for (const event of events) {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data === '' || data === '[DONE]') continue;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw new InvalidUpstreamResponseError(`${provider} sent a stream event that is not JSON.`, {
        provider,
      });
    }
    onChunk(chunk);
  }
  return rest;
}
