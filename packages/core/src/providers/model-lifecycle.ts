import { ModelRetiredError } from '../errors.js';
import type { ResolvedModel } from './model-registry.js';
import type { Warning } from './provider.js';

/**
 * What a model's lifecycle means for a request (docs/providers/README.md, lifecycle): a retired
 * model — or a deprecated one whose shutdown date has passed — is refused before any vendor
 * call, naming the replacement; a deprecated one works, with a `deprecated` warning that
 * gives the shutdown date.
 */
export function lifecycleWarnings(resolved: ResolvedModel, now: number, param = 'model'): Warning[] {
  const lifecycle = resolved.model.lifecycle;
  if (!lifecycle || lifecycle.status === 'active') return [];
  const today = new Date(now).toISOString().slice(0, 10);
  const shutdown = lifecycle.shutdownDate;
  const replacement = replacementName(resolved);
  const instead = replacement ? ` Use ${replacement} instead.` : '';
  if (lifecycle.status === 'retired' || (shutdown !== undefined && shutdown <= today)) {
    const when = shutdown ? ` on ${shutdown}` : '';
    throw new ModelRetiredError(`${resolved.name} was shut down by its vendor${when}.${instead}`, {
      param,
      provider: resolved.provider.id,
    });
  }
  const when = shutdown ? `shuts it down on ${shutdown}` : 'is phasing it out (no shutdown date announced)';
  return [
    {
      type: 'deprecated',
      feature: param,
      message: `${resolved.name} is deprecated: its vendor ${when}.${instead}`,
    },
  ];
}

/** The replacement as a model name a request can send (`provider/model`). */
function replacementName(resolved: ResolvedModel): string | undefined {
  const replacement = resolved.model.lifecycle?.replacement;
  if (!replacement) return undefined;
  const sameProvider = resolved.provider.models.some((model) => model.id === replacement);
  return sameProvider || !replacement.includes('/') ? `${resolved.provider.id}/${replacement}` : replacement;
}
