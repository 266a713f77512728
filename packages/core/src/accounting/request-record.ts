import type { ImageRequest } from '../requests/image-request.js';

/**
 * The one record of one image request's outcome (docs/operations.md, "The usage ledger"):
 * every request that reached an image route after authentication — a success, a partial
 * result, a refusal (validation, capability, limits, budget), an upstream failure, a
 * client abort, a job's end — gets exactly one, written before the answer is sent. The
 * same object is a line of `usage.jsonl`, a row of the SQL usage store and the source of
 * the per-client and per-model metrics, so it is plain JSON: strings, numbers, arrays.
 */
export interface RequestRecord {
  /** ISO 8601: when the outcome was decided (the answer sent, the job ended). */
  time: string;
  /** The answer's `request_id` (a job's id for jobs and MCP calls). */
  requestId: string;
  /** The client key's name; `anonymous` on an open gateway. */
  client: string;
  /** The route template (`/v1/images/generations`), or `mcp:<tool>` for an MCP tool call. */
  route: string;
  /** Absent when the request was refused before its body was read. */
  kind?: ImageRequest['kind'];
  /** The HTTP status of the answer; for MCP tools and jobs, the status REST gives the same outcome. */
  status: number;
  /** The envelope's `code` (lower snake case) when the request failed; absent on success. */
  errorCode?: string;
  /** Models tried: the model asked plus every fallback that was tried; 0 when none was. */
  attempts: number;
  /** Calls sent to vendors, retries and split batches included. */
  vendorCalls: number;
  /** The model as the client named it (an alias, a bare id, `provider/model`); absent when it named none. */
  modelAsked?: string;
  /** The `provider/model` the request resolved to (the default when none was named); absent when it did not resolve. */
  modelResolved?: string;
  /** Provider id that served the answer; on a failure, the last one tried; `''` when none was. */
  provider: string;
  /** Model id (without the provider) that served the answer, or was tried last; `''` when none was. */
  model: string;
  /** Images the client asked for (`n`). */
  imagesAsked: number;
  /** Images delivered to the client. */
  images: number;
  /** Estimated vendor cost in USD of what the vendors returned (delivered or not), plus any prompt rewrite. */
  estimatedCostUsd: number;
  /** The prompt as the client gave it. */
  prompt?: string;
  /** The prompt as sent to the vendor, when it differs (a prompt rewrite, docs/prompt-optimization.md). */
  promptSent?: string;
  /** Ids of the images handed out, in answer order (an image the store could not keep keeps its content id). */
  imageIds?: string[];
  /** The vendors' own request or task ids. */
  vendorRequestIds?: string[];
  /** From the first byte of the request to the outcome. */
  latencyMs: number;
  /** The vendors' token counts, summed over the calls, when they report them. */
  inputTokens?: number;
  outputTokens?: number;
  /** The chat model that rewrote the prompt, and what it used; its cost is in estimatedCostUsd too. */
  rewriteModel?: string;
  rewriteInputTokens?: number;
  rewriteOutputTokens?: number;
  rewriteCostUsd?: number;
}
