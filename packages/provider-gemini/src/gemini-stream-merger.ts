import { generateContentResponseSchema, type ContentPart } from './gemini-responses.js';

interface MergedCandidate {
  index: number;
  content: { role: string; parts: ContentPart[] };
  finishReason?: string;
  finishMessage?: string;
}

const isText = (part: ContentPart) => typeof part.text === 'string' && !part.inlineData && !part.inline_data;

/**
 * docs/providers/gemini.md §3.3: a stream is text chunks, then one chunk with the whole image, then a final
 * chunk with finishReason; the non-stream answer is the same fields merged. Adjacent
 * text parts are joined, so a sentence split across chunks stays one sentence.
 */
export class StreamMerger {
  private readonly candidates: MergedCandidate[] = [];
  private readonly top: Record<string, unknown> = {};
  private malformed = false;

  add(chunk: unknown): void {
    const parsed = generateContentResponseSchema.safeParse(chunk);
    if (!parsed.success) {
      this.malformed = true;
      return;
    }
    const { candidates, ...rest } = parsed.data;
    for (const [key, value] of Object.entries(rest)) if (value != null) this.top[key] = value;
    for (const candidate of candidates ?? []) {
      if (!candidate) continue;
      const index = candidate.index ?? 0;
      let merged = this.candidates.find((item) => item.index === index);
      if (!merged) {
        merged = { index, content: { role: 'model', parts: [] } };
        this.candidates.push(merged);
      }
      for (const part of candidate.content?.parts ?? []) {
        if (!part) continue;
        const last = merged.content.parts.at(-1);
        if (last && isText(part) && isText(last) && (last.thought ?? false) === (part.thought ?? false))
          last.text = `${last.text}${part.text}`;
        else merged.content.parts.push({ ...part });
      }
      if (candidate.finishReason) merged.finishReason = candidate.finishReason;
      if (candidate.finishMessage) merged.finishMessage = candidate.finishMessage;
    }
  }

  /** The merged GenerateContentResponse; undefined when a chunk was not one. */
  result(): unknown {
    if (this.malformed) return undefined;
    return { ...this.top, ...(this.candidates.length > 0 ? { candidates: this.candidates } : {}) };
  }
}
