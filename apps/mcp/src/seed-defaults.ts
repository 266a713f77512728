import { ConfigError, type Env, type ModelDescriptor, type ModelRegistry, type Warning } from '@uig/core';

/**
 * The seed project's environment (ECNU3D/universal-image-generator-mcp,
 * providers.py and google_provider.py): IMAGE_PROVIDER picks one vendor for its
 * tools, with the aliases it accepted, and GOOGLE_MODEL picks Gemini or Imagen.
 * Here they only choose the default models of the seed's tool names; the new
 * tools take any configured model.
 */
export type SeedProvider = 'google' | 'zhipuai' | 'bailian';

const aliases: Record<string, SeedProvider> = {
  google: 'google',
  gemini: 'google',
  zhipuai: 'zhipuai',
  cogview: 'zhipuai',
  'cogview-4': 'zhipuai',
  zhipu: 'zhipuai',
  bailian: 'bailian',
  dashscope: 'bailian',
  alibaba: 'bailian',
};

/** The plugin type behind each seed provider, and the key it needs. */
const targets: Record<SeedProvider, { type: string; keyVariable: string }> = {
  google: { type: 'gemini', keyVariable: 'GEMINI_API_KEY' },
  zhipuai: { type: 'cogview', keyVariable: 'ZHIPU_API_KEY' },
  bailian: { type: 'wanx', keyVariable: 'DASHSCOPE_API_KEY' },
};

export type GoogleModelType = 'gemini' | 'imagen';

export interface SeedDefaults {
  provider?: SeedProvider;
  googleModel: GoogleModelType;
  /** `provider/model` for generate_image_from_text; undefined: the gateway's default. */
  generateModel(modelType?: GoogleModelType): string | undefined;
  /**
   * Set when the seed's choice was mapped to another model (GOOGLE_MODEL=imagen: Google shut
   * Imagen down on the Gemini API, so a current Gemini image model answers instead).
   */
  generateWarning(modelType?: GoogleModelType): Warning | undefined;
  /** `provider/model` for the transform_* tools; undefined: the gateway's default. */
  editModel(): string | undefined;
  /** Set when IMAGE_PROVIDER names a provider that is not configured: what to do about it. */
  problem?: string;
}

export function parseSeedProvider(value: string | undefined): SeedProvider | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const provider = aliases[value.trim().toLowerCase()];
  if (!provider)
    throw new ConfigError(
      `IMAGE_PROVIDER: unsupported provider "${value}"; use google, zhipuai or bailian (aliases: gemini; cogview, cogview-4, zhipu; dashscope, alibaba).`,
    );
  return provider;
}

export function parseGoogleModelType(value: string | undefined, variable = 'GOOGLE_MODEL'): GoogleModelType {
  const normalized = (value ?? '').trim().toLowerCase();
  if (normalized === '' || normalized === 'gemini') return 'gemini';
  if (normalized === 'imagen') return 'imagen';
  throw new ConfigError(`${variable}: "${value}" is neither gemini nor imagen.`);
}

/** Current models first, then deprecated, then retired ones. */
const lifecycleRank = (model: ModelDescriptor) =>
  model.lifecycle === undefined ? 0 : model.lifecycle.status === 'deprecated' ? 1 : 2;

export function resolveSeedDefaults(env: Env, registry: ModelRegistry): SeedDefaults {
  const provider = parseSeedProvider(env.IMAGE_PROVIDER);
  const googleModel = parseGoogleModelType(env.GOOGLE_MODEL);
  if (!provider)
    return {
      googleModel,
      generateModel: () => undefined,
      generateWarning: () => undefined,
      editModel: () => undefined,
    };
  const target = targets[provider];
  const entry = registry.providers.find((candidate) => candidate.type === target.type);
  const problem = entry
    ? undefined
    : `IMAGE_PROVIDER=${env.IMAGE_PROVIDER} needs ${target.keyVariable} (the ${target.type} provider is not configured). Set the key, or unset IMAGE_PROVIDER to use the gateway's default model; list_models shows what is configured.`;
  const id = entry?.provider.id ?? target.type;
  // Current models first: the adapter still offers retired ones (for compatible upstreams).
  const models = entry ? [...entry.provider.models].sort((a, b) => lifecycleRank(a) - lifecycleRank(b)) : [];
  const modelIds = models.map((model) => model.id);
  const pick = (preferred: string[], match: (id: string) => boolean, fallback: string) =>
    `${id}/${preferred.find((candidate) => modelIds.includes(candidate)) ?? modelIds.find(match) ?? fallback}`;

  const gemini = () => {
    const defaultModel = entry?.provider.defaultModel;
    if (defaultModel && !defaultModel.startsWith('imagen')) return `${id}/${defaultModel}`;
    return pick(['gemini-2.5-flash-image'], (model) => model.startsWith('gemini'), 'gemini-2.5-flash-image');
  };
  const imagenChoice = models.find(
    (model) => model.id.startsWith('imagen') && model.lifecycle?.status !== 'retired',
  );
  // docs/providers/gemini.md §15: Imagen is retired on the Gemini API; its replacement answers.
  const currentIds = new Set(models.filter((model) => lifecycleRank(model) === 0).map((model) => model.id));
  const imagenReplacement =
    models.find((model) => model.id.startsWith('imagen'))?.lifecycle?.replacement ?? 'gemini-3.1-flash-image';
  const imagen = () =>
    imagenChoice
      ? `${id}/${imagenChoice.id}`
      : pick(
          [imagenReplacement],
          (model) => model.startsWith('gemini') && currentIds.has(model),
          imagenReplacement,
        );
  const wantsImagen = (modelType?: GoogleModelType) =>
    provider === 'google' && (modelType ?? googleModel) === 'imagen';

  return {
    provider,
    googleModel,
    ...(problem ? { problem } : {}),
    generateModel(modelType) {
      if (provider === 'google') return (modelType ?? googleModel) === 'imagen' ? imagen() : gemini();
      if (provider === 'zhipuai')
        return pick(['cogview-4-250304'], (model) => model.startsWith('cogview-4'), 'cogview-4-250304');
      return pick(['wanx2.1-t2i-turbo'], (model) => model.includes('t2i'), 'wanx2.1-t2i-turbo');
    },
    generateWarning(modelType) {
      if (!wantsImagen(modelType) || imagenChoice) return undefined;
      return {
        type: 'adjusted',
        feature: 'model_type',
        message: `Imagen was shut down on the Gemini API (2026-08-17); ${imagen()} generated the image instead. Unset GOOGLE_MODEL (or use gemini) to silence this.`,
      };
    },
    editModel() {
      // Imagen cannot edit: the seed fell back to Gemini for transforms, and so do we.
      if (provider === 'google') return gemini();
      if (provider === 'zhipuai')
        return pick(['cogview-4-250304'], (model) => model.startsWith('cogview-4'), 'cogview-4-250304');
      return pick(['wanx2.1-imageedit'], (model) => model.includes('imageedit'), 'wanx2.1-imageedit');
    },
  };
}
