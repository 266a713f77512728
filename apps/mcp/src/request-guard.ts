/**
 * Host and Origin checks for MCP over HTTP (MCP transports spec, "Security
 * Warning": servers MUST validate Origin to stop DNS rebinding). A browser page on
 * another site can make a victim's browser POST to a loopback server; its Origin
 * header gives it away, and a rebinding attack shows up as an unexpected Host.
 */
export function hostAllowed(host: string | undefined, allowed: readonly string[] | undefined): boolean {
  if (!allowed) return true;
  if (!host) return false;
  const normalized = host.toLowerCase();
  const hostname = normalized.startsWith('[')
    ? normalized.slice(0, normalized.indexOf(']') + 1)
    : normalized.split(':')[0]!;
  return allowed.some((entry) => {
    const candidate = entry.toLowerCase();
    return candidate === normalized || candidate === hostname;
  });
}

/** A request without Origin (every non-browser client) passes; `*` as the port matches any port; `null` never does. */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  return allowed.some((entry) => {
    const wildcard = entry.endsWith(':*');
    if (!wildcard) return entry.toLowerCase() === parsed.origin.toLowerCase();
    const base = new URL(entry.slice(0, -2));
    return base.protocol === parsed.protocol && base.hostname === parsed.hostname;
  });
}
