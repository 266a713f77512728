import { InvalidRequestError, ModelNotFoundError, NoProviderAvailableError } from '../errors.js';
import type { ImageProvider, ModelDescriptor } from './provider.js';

/**
 * Which provider and model a request means. A name resolves as: an alias from the
 * config, then `provider/model`, then a bare model id when exactly one enabled
 * provider serves it. No name means the configured default.
 */
export interface ResolvedModel {
  provider: ImageProvider;
  /** The plugin type (`openai` for OpenAI itself and for every OpenAI-compatible extra). */
  providerType: string;
  model: ModelDescriptor;
  /** `provider/model`, the name responses and usage records carry. */
  name: string;
}

export interface RegistryEntry {
  provider: ImageProvider;
  type: string;
}

export interface ModelRegistryOptions {
  defaultModel?: string;
  aliases?: Record<string, string>;
}

export class ModelRegistry {
  private readonly byProvider = new Map<string, RegistryEntry>();
  /**
   * A Map, not an object: a client-given name like `constructor` or `__proto__` must be
   * an unknown name, not the object's own machinery (which made `target.indexOf` a
   * function call on a function).
   */
  private readonly aliases: Map<string, string>;
  private readonly defaultModel: string | undefined;

  constructor(entries: RegistryEntry[], options: ModelRegistryOptions = {}) {
    for (const entry of entries) this.byProvider.set(entry.provider.id, entry);
    this.aliases = new Map(Object.entries(options.aliases ?? {}));
    this.defaultModel = options.defaultModel;
  }

  get providers(): RegistryEntry[] {
    return [...this.byProvider.values()];
  }

  /** Every model of every enabled provider. */
  list(): ResolvedModel[] {
    return this.providers.flatMap(({ provider, type }) =>
      provider.models.map((model) => ({
        provider,
        providerType: type,
        model,
        name: `${provider.id}/${model.id}`,
      })),
    );
  }

  /** The model a request without `model` gets: the configured default, else the first provider's default. */
  defaultName(): string {
    if (this.defaultModel) return this.defaultModel;
    const first = this.providers[0];
    if (!first) throw new NoProviderAvailableError('No image provider is configured.');
    return `${first.provider.id}/${first.provider.defaultModel}`;
  }

  resolve(name: string | undefined, param = 'model'): ResolvedModel {
    const wanted = name ?? this.defaultName();
    const target = this.aliases.get(wanted) ?? wanted;
    // Vendor model ids may hold slashes themselves (fal `fal-ai/flux/dev`, Replicate
    // `black-forest-labs/flux-schnell`): only the first slash separates the provider.
    const slash = target.indexOf('/');
    const entry = slash > 0 ? this.byProvider.get(target.slice(0, slash)) : undefined;
    if (entry) {
      const providerId = entry.provider.id;
      const modelId = target.slice(slash + 1);
      const model = entry.provider.models.find((candidate) => candidate.id === modelId);
      if (!model) {
        throw new ModelNotFoundError(
          `Model "${modelId}" is not offered by ${providerId}; it offers ${entry.provider.models.map((m) => m.id).join(', ')}.`,
          { param },
        );
      }
      return { provider: entry.provider, providerType: entry.type, model, name: `${providerId}/${modelId}` };
    }
    // A bare id, slashes included (`fal-ai/flux/dev`), when exactly one provider serves it.
    const matches = this.list().filter((candidate) => candidate.model.id === target);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new InvalidRequestError(
        `Model "${target}" is offered by several providers; name one of ${matches.map((m) => m.name).join(', ')}.`,
        { param, code: 'AMBIGUOUS_MODEL' },
      );
    }
    if (slash > 0) {
      const providerId = target.slice(0, slash);
      throw new ModelNotFoundError(
        `Provider "${providerId}" is not configured; configured: ${this.providers.map((p) => p.provider.id).join(', ') || 'none'}.`,
        { param },
      );
    }
    throw new ModelNotFoundError(
      `Model "${target}" is not offered by any configured provider. GET /v1/models lists them.`,
      { param },
    );
  }
}
