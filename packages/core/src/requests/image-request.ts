import type { InputImage } from '../providers/provider.js';
import type { PromptOptimizationMode } from '../prompts/prompt-optimizer.js';

export type ImageKind = 'generate' | 'edit' | 'variation';

/**
 * The normalized request core works on, whichever door it came in by (OpenAI-style
 * REST, native REST, MCP). Input images are already fetched, sniffed and checked.
 */
export interface ImageRequest {
  /** `variation`: variations of the one input image, without a prompt (OpenAI `/images/variations`). */
  kind: ImageKind;
  /** Empty for a variation. */
  prompt: string;
  model?: string;
  n: number;
  /** `WxH`; absent or `auto` means the model's default. */
  size?: string;
  aspectRatio?: string;
  quality?: string;
  seed?: number;
  negativePrompt?: string;
  images: InputImage[];
  mask?: InputImage;
  /** Keyed by provider id; each checked by that adapter's strict schema. */
  providerOptions: Record<string, Record<string, unknown>>;
  /**
   * OpenAI-only settings that came through the OpenAI-compatible route (style,
   * background, ...). Given to OpenAI-type providers as options; for any other
   * provider each one becomes an `unsupported` warning, never a silent drop.
   */
  openaiOptions?: Record<string, unknown>;
  fallbackModels?: string[];
  /** The end user, for vendors that take one. */
  user?: string;
  /** OpenAI's `safety_identifier`: the end user's stable id, for vendors that take one (OpenAI, CogView `user_id`). */
  safetyIdentifier?: string;
  /** `prompt_optimization` as the request gave it (docs/prompt-optimization.md). */
  promptOptimization?: PromptOptimizationMode;
  /**
   * The default of the door the request came through, used when neither the client key
   * nor the configuration sets one (the seed tools started with IMAGE_PROVIDER: enhance).
   */
  defaultPromptOptimization?: PromptOptimizationMode;
}
