/**
 * BFL hosts (docs/providers/bfl.md §7.1): the global host fails over between clusters;
 * the regional ones keep data in the EU or the US. Every path starts with `/v1`.
 */
export const bflRegionBaseURLs = {
  global: 'https://api.bfl.ai/v1',
  eu: 'https://api.eu.bfl.ai/v1',
  us: 'https://api.us.bfl.ai/v1',
} as const;

export type BflRegion = keyof typeof bflRegionBaseURLs;

export const bflRegions = Object.keys(bflRegionBaseURLs) as [BflRegion, ...BflRegion[]];

export const bflDefaultBaseURL = bflRegionBaseURLs.global;

export function bflRegionBaseURL(region: string): string | undefined {
  return Object.hasOwn(bflRegionBaseURLs, region) ? bflRegionBaseURLs[region as BflRegion] : undefined;
}
