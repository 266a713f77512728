/** The gateway calls the page makes: the native JSON API, with the key the user typed. */

interface ModelCapabilities {
  generate: boolean;
  edit: boolean;
  mask: boolean;
  maxImagesPerRequest: number;
  sizes?: { allowed?: string[]; custom?: unknown; default: string };
  aspectRatios?: string[];
  seed: boolean;
  negativePrompt: boolean;
  qualities?: string[];
}

export interface ModelEntry {
  id: string;
  description?: string;
  default?: boolean;
  capabilities: ModelCapabilities;
}

interface ImageData {
  id: string;
  url: string;
  mime_type?: string;
  width?: number;
  height?: number;
  revised_prompt?: string;
}

export interface ImagesAnswer {
  model: string;
  data: ImageData[];
  warnings?: Array<{ message: string }>;
  usage?: { estimated_cost_usd?: number };
}

export interface GalleryEntry {
  id: string;
  url: string;
  created: number;
  prompt?: string;
  model?: string;
  width?: number;
  height?: number;
  mime_type?: string;
  estimated_cost_usd?: number;
}

export interface GalleryPage {
  data: GalleryEntry[];
  has_more: boolean;
}

export type StreamEvent =
  | { event: 'progress'; data: { message: string; progress?: number; total?: number } }
  | { event: 'partial_image'; data: { index: number; b64_json: string; mime_type: string } }
  | { event: 'completed'; data: ImagesAnswer }
  | { event: 'error'; data: { error: { message: string; code?: string } } };

/** An answer the gateway refused, with its envelope's message. */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

async function failure(response: Response): Promise<GatewayError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { message?: string; code?: string } };
    return new GatewayError(
      body.error?.message ?? `HTTP ${response.status}`,
      response.status,
      body.error?.code,
    );
  } catch {
    return new GatewayError(`HTTP ${response.status}: ${text.slice(0, 200)}`, response.status, undefined);
  }
}

/** Splits a server-sent event stream into events (the `event:` and `data:` fields). */
async function* readEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ event: string; data: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) yield { event, data: data.join('\n') };
      end = buffer.indexOf('\n\n');
    }
  }
}

export class GatewayApi {
  constructor(private readonly key: () => string) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const key = this.key().trim();
    return { ...extra, ...(key ? { authorization: `Bearer ${key}` } : {}) };
  }

  async models(): Promise<ModelEntry[]> {
    const response = await fetch('/v1/models', { headers: this.headers() });
    if (!response.ok) throw await failure(response);
    return ((await response.json()) as { data: ModelEntry[] }).data;
  }

  async gallery(before?: string, limit = 24): Promise<GalleryPage> {
    const query = new URLSearchParams({ limit: String(limit), ...(before ? { before } : {}) });
    const response = await fetch(`/v1/images?${query}`, { headers: this.headers() });
    if (!response.ok) throw await failure(response);
    return (await response.json()) as GalleryPage;
  }

  /** POST /v1/images with `stream: true`: progress and partial images as they come, then the answer. */
  async *run(body: Record<string, unknown>, signal: AbortSignal): AsyncGenerator<StreamEvent> {
    const response = await fetch('/v1/images', {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ ...body, stream: true }),
      signal,
    });
    if (!response.ok || !response.body) throw await failure(response);
    if (!response.headers.get('content-type')?.includes('text/event-stream')) {
      yield { event: 'completed', data: (await response.json()) as ImagesAnswer };
      return;
    }
    for await (const { event, data } of readEvents(response.body)) {
      yield { event, data: JSON.parse(data) } as StreamEvent;
    }
  }
}
