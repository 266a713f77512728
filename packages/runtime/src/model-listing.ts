import { estimateCost, type ModelDescriptor } from '@uig/core';

/**
 * How a model's lifecycle and price read in `GET /v1/models` and MCP `list_models`
 * (snake_case, as the rest of those answers). Both apps show the same thing.
 */

export interface ListedLifecycle {
  status: 'active' | 'deprecated' | 'retired';
  shutdown_date?: string;
  replacement?: string;
}

export function modelLifecycle(model: ModelDescriptor): ListedLifecycle {
  const lifecycle = model.lifecycle;
  if (!lifecycle) return { status: 'active' };
  return {
    status: lifecycle.status,
    ...(lifecycle.shutdownDate ? { shutdown_date: lifecycle.shutdownDate } : {}),
    ...(lifecycle.replacement ? { replacement: lifecycle.replacement } : {}),
  };
}

export interface ListedPrice {
  /** One image at the model's default size and quality; absent when unknown. */
  cost_per_image_usd?: number;
  price?: {
    read_on: string;
    source: string;
    unverified?: boolean;
    per_image?: { usd: number; quality?: string; size?: string }[];
    per_million_tokens?: {
      text_input?: number;
      image_input?: number;
      text_output?: number;
      image_output?: number;
    };
    per_megapixel?: { usd: number; first_usd?: number; round_up?: boolean; unit_pixels?: number };
    per_input_megapixel?: number;
  };
}

export function modelPrice(model: ModelDescriptor): ListedPrice {
  const price = model.price;
  if (!price) return {};
  const size = model.capabilities.sizes?.default;
  const oneImage = estimateCost(model, { images: 1, ...(size ? { size } : {}) }).usd;
  const tokens = price.perMillionTokens;
  const megapixel = price.perMegapixel;
  return {
    ...(oneImage !== undefined ? { cost_per_image_usd: oneImage } : {}),
    price: {
      read_on: price.readOn,
      source: price.source,
      ...(price.unverified ? { unverified: true } : {}),
      ...(price.perImage ? { per_image: price.perImage.map((entry) => ({ ...entry })) } : {}),
      ...(tokens
        ? {
            per_million_tokens: {
              ...(tokens.textInput !== undefined ? { text_input: tokens.textInput } : {}),
              ...(tokens.imageInput !== undefined ? { image_input: tokens.imageInput } : {}),
              ...(tokens.textOutput !== undefined ? { text_output: tokens.textOutput } : {}),
              ...(tokens.imageOutput !== undefined ? { image_output: tokens.imageOutput } : {}),
            },
          }
        : {}),
      ...(megapixel
        ? {
            per_megapixel: {
              usd: megapixel.usd,
              ...(megapixel.firstUsd !== undefined ? { first_usd: megapixel.firstUsd } : {}),
              ...(megapixel.roundUp !== undefined ? { round_up: megapixel.roundUp } : {}),
              ...(megapixel.unit !== undefined ? { unit_pixels: megapixel.unit } : {}),
            },
          }
        : {}),
      ...(price.perInputMegapixel !== undefined ? { per_input_megapixel: price.perInputMegapixel } : {}),
    },
  };
}
