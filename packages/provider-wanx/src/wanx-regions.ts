/**
 * DashScope regions (docs/providers/wanx.md §4.1). Keys are region-specific: a key used against
 * another region's host fails with 401 InvalidApiKey, so each credential carries the
 * base URL of its own region (config: `apiKeys: [{ key, region }]`).
 */
export const wanxRegionBaseURLs = {
  beijing: 'https://dashscope.aliyuncs.com/api/v1',
  singapore: 'https://dashscope-intl.aliyuncs.com/api/v1',
  virginia: 'https://dashscope-us.aliyuncs.com/api/v1',
} as const;

export type WanxRegion = keyof typeof wanxRegionBaseURLs;

export const wanxRegions = Object.keys(wanxRegionBaseURLs) as [WanxRegion, ...WanxRegion[]];

/** docs/configuration.md: the Beijing host is the default. */
export const wanxDefaultBaseURL = wanxRegionBaseURLs.beijing;

export function wanxRegionBaseURL(region: string): string | undefined {
  return Object.hasOwn(wanxRegionBaseURLs, region) ? wanxRegionBaseURLs[region as WanxRegion] : undefined;
}
