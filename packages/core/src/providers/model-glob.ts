/** Does `provider/model` match one of the key's globs (`cogview/*`, `*`, `openai/gpt-image-*`)? */
export function modelAllowed(patterns: readonly string[] | undefined, name: string): boolean {
  if (!patterns) return true;
  return patterns.some((pattern) => globToRegExp(pattern).test(name));
}

const cache = new Map<string, RegExp>();

function globToRegExp(pattern: string): RegExp {
  let compiled = cache.get(pattern);
  if (!compiled) {
    compiled = new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    cache.set(pattern, compiled);
  }
  return compiled;
}
