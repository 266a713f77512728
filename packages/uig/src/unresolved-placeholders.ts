/**
 * Claude Desktop starts an extension bundle with the manifest's `env`, and an optional
 * setting the user left empty can arrive as its literal `${user_config.name}`
 * placeholder instead of an empty string (docs/mcp.md, "Extension bundle"). Such a
 * value means "not set": kept, `ZHIPU_API_KEY=${user_config.zhipu_api_key}` would
 * enable CogView with a key that is not one.
 */
export function withoutUnresolvedPlaceholders(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([, value]) => value === undefined || !/^\$\{user_config\.[^}]*\}$/.test(value),
    ),
  );
}
