/**
 * The field descriptions of the answer's `prompt_optimization` block (`PromptOptimization`),
 * one text for the REST API's OpenAPI document and the MCP tools' output schema.
 */
export const promptOptimizationDescriptions = {
  block: 'What prompt optimisation did (absent when off).',
  sent: 'The prompt the image model received.',
  by: 'provider/model that rewrote it; absent when nothing was rewritten.',
} as const;
