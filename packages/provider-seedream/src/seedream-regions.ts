/**
 * Ark hosts (docs/providers/seedream.md §11.1): Volcengine Ark in Beijing (the Ark SDK's
 * default) and BytePlus ModelArk for the rest of the world. Keys belong to one of them.
 */
export const seedreamRegionBaseURLs = {
  cn: 'https://ark.cn-beijing.volces.com/api/v3',
  intl: 'https://ark.ap-southeast.bytepluses.com/api/v3',
} as const;

export type SeedreamRegion = keyof typeof seedreamRegionBaseURLs;

export const seedreamRegions = Object.keys(seedreamRegionBaseURLs) as [SeedreamRegion, ...SeedreamRegion[]];

export const seedreamDefaultBaseURL = seedreamRegionBaseURLs.cn;

export function seedreamRegionBaseURL(region: string): string | undefined {
  return Object.hasOwn(seedreamRegionBaseURLs, region)
    ? seedreamRegionBaseURLs[region as SeedreamRegion]
    : undefined;
}
