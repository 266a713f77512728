import { LRUCache } from 'lru-cache';
import { estimateCost } from '../accounting/estimate-cost.js';
import { RequestAbortedError, toUigError } from '../errors.js';
import type { ResolvedModel } from '../providers/model-registry.js';
import type { Credential, Warning } from '../providers/provider.js';
import { attemptSignal } from '../upstream/attempt-signal.js';
import { geminiGenerateText } from './gemini-chat-client.js';
import { openaiChatCompletion } from './openai-chat-client.js';
import type { ChatAnswer, ChatRequest, PromptChatSpec } from './prompt-chat.js';
import { rewriteInstructions, type PromptOperation, type RewriteMode } from './prompt-instructions.js';
import { detectPromptLanguage, isInLanguage } from './prompt-language.js';

/**
 * Prompt optimisation (docs/prompt-optimization.md): before an image call, `translate`
 * puts the prompt into the language the model prefers (when it is not in it already),
 * and `enhance` also rewrites it the way that model family works best. It is never
 * worse than no rewriting: a rewrite that fails, times out, or comes back empty or
 * longer than the model takes leaves the original prompt, with a
 * `prompt_optimization_failed` warning. Successful rewrites are cached.
 */
export type PromptOptimizationMode = 'off' | RewriteMode;
export const promptOptimizationModes = ['off', 'translate', 'enhance'] as const;

/** What the answer shows: `prompt_optimization: {mode, original, sent, language, by}`. */
export interface PromptOptimization {
  mode: RewriteMode;
  original: string;
  /** The prompt the image model received. */
  sent: string;
  /** The language of `sent`, by script (`und` when it has no letters). */
  language: string;
  /** `provider/model` that rewrote it; absent when nothing was rewritten. */
  by?: string;
}

/** The rewrite's own cost, for the request's usage line. */
export interface RewriteUsage {
  model: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Undefined when the chat model's price is unknown. */
  estimatedCostUsd?: number;
}

export interface OptimizedPrompt {
  prompt: string;
  optimization?: PromptOptimization;
  warning?: Warning;
  usage?: RewriteUsage;
}

/** A configured provider whose vendor has a chat endpoint. */
export interface PromptChatProvider {
  id: string;
  spec: PromptChatSpec;
  /** The provider's image base URL (the spec maps it to the chat endpoint). */
  baseURL: string;
  /** A credential of the provider: the same keys its image calls use. */
  credential(): Credential;
}

export interface PromptOptimizerOptions {
  providers: PromptChatProvider[];
  fetch: typeof globalThis.fetch;
  /** `provider/model` of the rewriting model; default: the image vendor's own, else any configured one. */
  model?: string;
  /** The configured default (UIG_PROMPT_OPTIMIZATION, else the file's `promptOptimization.default`). */
  defaultMode?: PromptOptimizationMode;
  /** Default 10000. */
  timeoutMs?: number;
  /** Rewrites kept; default 1000. */
  cacheSize?: number;
}

export interface OptimizeInput {
  mode: PromptOptimizationMode;
  prompt: string;
  kind: PromptOperation;
  /** The image model the prompt is for. */
  target: ResolvedModel;
  signal: AbortSignal;
}

interface Rewriter {
  provider: PromptChatProvider;
  model: string;
}

const maxOutputTokens = 1024;

/** A pair of quotes the chat model put around its whole answer, despite being asked not to. */
const wrappingQuotes = /^(["'“「『])([\s\S]*)(["'”」』])$/;

function clean(text: string): string {
  const trimmed = text.trim();
  const match = wrappingQuotes.exec(trimmed);
  return match ? match[2]!.trim() : trimmed;
}

export class PromptOptimizer {
  private readonly options: PromptOptimizerOptions;
  private readonly byId: Map<string, PromptChatProvider>;
  private readonly cache: LRUCache<string, ChatAnswer>;

  constructor(options: PromptOptimizerOptions) {
    this.options = options;
    this.byId = new Map(options.providers.map((provider) => [provider.id, provider]));
    this.cache = new LRUCache({ max: options.cacheSize ?? 1000 });
  }

  /** The request's own setting, else the client key's, else the configured default, else the door's (seed tools: enhance), else off. */
  modeFor(
    requested: PromptOptimizationMode | undefined,
    client: PromptOptimizationMode | undefined,
    doorDefault: PromptOptimizationMode | undefined,
  ): PromptOptimizationMode {
    return requested ?? client ?? this.options.defaultMode ?? doorDefault ?? 'off';
  }

  /** The chat model that rewrites prompts for `target`, or undefined when none is configured. */
  rewriterFor(target: ResolvedModel): Rewriter | undefined {
    const named = this.options.model;
    if (named) {
      const slash = named.indexOf('/');
      const provider = this.byId.get(named.slice(0, slash));
      return provider ? { provider, model: named.slice(slash + 1) } : undefined;
    }
    const own = this.byId.get(target.provider.id);
    if (own?.spec.defaultModel) return { provider: own, model: own.spec.defaultModel };
    const any = this.options.providers.find((provider) => provider.spec.defaultModel);
    return any ? { provider: any, model: any.spec.defaultModel! } : undefined;
  }

  async optimize(input: OptimizeInput): Promise<OptimizedPrompt> {
    const { mode, prompt, kind, target } = input;
    if (mode === 'off') return { prompt };
    const detected = detectPromptLanguage(prompt);
    const targetLanguage = target.model.capabilities.promptLanguage ?? 'en';
    const unchanged = (warning?: string): OptimizedPrompt => ({
      prompt,
      optimization: { mode, original: prompt, sent: prompt, language: detected },
      ...(warning
        ? {
            warning: {
              type: 'prompt_optimization_failed',
              feature: 'prompt_optimization',
              message: `${warning} The original prompt was sent.`,
            },
          }
        : {}),
    });
    if (mode === 'translate' && isInLanguage(detected, targetLanguage)) return unchanged();
    const rewriter = this.rewriterFor(target);
    if (!rewriter)
      return unchanged(
        `No chat model is configured to ${mode} the prompt (set a key of Zhipu, DashScope, Gemini or OpenAI, or promptOptimization.model).`,
      );
    const by = `${rewriter.provider.id}/${rewriter.model}`;
    const system = rewriteInstructions({
      mode,
      family: target.providerType,
      operation: kind,
      targetLanguage,
    });
    const key = JSON.stringify([by, mode, targetLanguage, target.providerType, kind, prompt]);
    let answer = this.cache.get(key);
    const cached = answer !== undefined;
    if (!answer) {
      try {
        answer = await this.ask(rewriter, system, prompt, input.signal);
      } catch (caught) {
        if (input.signal.aborted) throw new RequestAbortedError(undefined, { cause: caught });
        const error = toUigError(caught, rewriter.provider.id);
        return unchanged(`The rewrite by ${by} failed (${error.code}).`);
      }
    }
    const usage = cached ? undefined : this.usageOf(rewriter, answer);
    const text = clean(answer.text);
    const limit = target.model.capabilities.maxPromptLength;
    const problem =
      text === ''
        ? `The rewrite by ${by} came back empty.`
        : text.length > limit
          ? `The rewrite by ${by} was ${text.length} characters; ${target.name} takes at most ${limit}.`
          : undefined;
    if (problem) return { ...unchanged(problem), ...(usage ? { usage } : {}) };
    if (!cached) this.cache.set(key, answer);
    return {
      prompt: text,
      optimization: { mode, original: prompt, sent: text, language: detectPromptLanguage(text), by },
      ...(usage ? { usage } : {}),
    };
  }

  private async ask(
    rewriter: Rewriter,
    system: string,
    user: string,
    parent: AbortSignal,
  ): Promise<ChatAnswer> {
    const { provider, model } = rewriter;
    const credential = provider.credential();
    const imageBaseURL = credential.baseURL ?? provider.baseURL;
    const { signal, dispose } = attemptSignal(parent, this.options.timeoutMs ?? 10_000);
    const request: ChatRequest = {
      provider: provider.id,
      model,
      system,
      user,
      maxOutputTokens,
      credential,
      baseURL: provider.spec.chatBaseURL?.(imageBaseURL) ?? imageBaseURL,
      fetch: this.options.fetch,
      signal,
    };
    try {
      return provider.spec.protocol === 'gemini'
        ? await geminiGenerateText(request)
        : await openaiChatCompletion(provider.spec, request);
    } finally {
      dispose();
    }
  }

  private usageOf(rewriter: Rewriter, answer: ChatAnswer): RewriteUsage {
    const price = rewriter.provider.spec.prices?.[rewriter.model];
    const tokens = answer.inputTokens !== undefined || answer.outputTokens !== undefined;
    const cost =
      price && tokens
        ? estimateCost(
            { price },
            {
              images: 0,
              usage: {
                ...(answer.inputTokens !== undefined ? { inputTokens: answer.inputTokens } : {}),
                ...(answer.outputTokens !== undefined
                  ? {
                      outputTokens: answer.outputTokens,
                      outputTokensDetails: { textTokens: answer.outputTokens },
                    }
                  : {}),
              },
            },
          ).usd
        : undefined;
    return {
      model: `${rewriter.provider.id}/${rewriter.model}`,
      ...(answer.inputTokens !== undefined ? { inputTokens: answer.inputTokens } : {}),
      ...(answer.outputTokens !== undefined ? { outputTokens: answer.outputTokens } : {}),
      ...(cost !== undefined ? { estimatedCostUsd: cost } : {}),
    };
  }
}
