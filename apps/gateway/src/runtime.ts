import {
  ClientAuthenticator,
  CredentialPool,
  ImageService,
  ImageStore,
  ModelRegistry,
  UsageLedger,
  type InputImage,
  type ServiceObserver,
  type Sleep,
  type UigConfig,
} from '@uig/core';
import { UrlSigner } from './url-signer.js';

/**
 * Everything a request needs, built once from the configuration: the providers and
 * their credential pools, the registry, the store, the ledger and the service. The
 * REST app and the MCP server share it.
 */
export interface RuntimeOptions {
  /** For adapters and downloads (tests point it nowhere else: fakes are on loopback). */
  fetch?: typeof globalThis.fetch;
  sleep?: Sleep;
  observer?: ServiceObserver;
  onCredentialDisabled?: (credentialId: string, reason: string) => void;
}

export interface Runtime {
  config: UigConfig;
  registry: ModelRegistry;
  service: ImageService;
  store: ImageStore;
  ledger: UsageLedger;
  pools: Map<string, CredentialPool>;
  signer: UrlSigner;
  /** Client keys (REST and MCP over HTTP share them). */
  authenticator: ClientAuthenticator;
  close(): Promise<void>;
}

export function createRuntime(config: UigConfig, options: RuntimeOptions = {}): Runtime {
  const fetch = options.fetch ?? globalThis.fetch;
  const pools = new Map<string, CredentialPool>();
  const entries = config.providers.map((providerConfig) => {
    const provider = providerConfig.plugin.create({
      id: providerConfig.id,
      baseURL: providerConfig.baseURL,
      fetch,
      options: providerConfig.options,
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
    pools.set(
      providerConfig.id,
      new CredentialPool({
        provider: providerConfig.id,
        credentials: providerConfig.credentials.map(({ id, apiKey, baseURL }) => ({ id, apiKey, ...(baseURL ? { baseURL } : {}) })),
        ...(options.onCredentialDisabled ? { onDisabled: options.onCredentialDisabled } : {}),
      }),
    );
    return { provider, type: providerConfig.type };
  });
  const registry = new ModelRegistry(entries, {
    ...(config.defaultModel ? { defaultModel: config.defaultModel } : {}),
    aliases: config.aliases,
  });
  // Fail at startup, not on the first request, when the default model is wrong.
  registry.resolve(undefined);
  const store = new ImageStore(config.dataDir);
  const ledger = new UsageLedger(config.dataDir);
  const signer = new UrlSigner(config.signingSecret, config.publicUrl, config.signedUrlTtlSeconds);
  const providerTimeoutMs = Object.fromEntries(config.providers.flatMap((p) => (p.timeoutMs ? [[p.id, p.timeoutMs]] : [])));
  const publicUrlFor = config.publicUrlConfigured
    ? async (image: InputImage) => signer.sign((image.id ? image : await store.put(image.data)).id!)
    : undefined;
  const service = new ImageService({
    registry,
    pools,
    store,
    ledger,
    fetch,
    retry: config.retry,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    fallbacks: config.fallbacks,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    providerTimeoutMs,
    downloadMaxBytes: config.downloadMaxBytes,
    downloadTimeoutMs: config.downloadTimeoutMs,
    ...(publicUrlFor ? { publicUrlFor } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
  });
  return { config, registry, service, store, ledger, pools, signer, authenticator: new ClientAuthenticator(config.clients), close: () => ledger.close() };
}
