/**
 * Tool calls in progress over stateless HTTP, by client key and JSON-RPC id, so a
 * notifications/cancelled (which arrives in a later POST) can stop the call it
 * names. Keyed by client key: a key can only cancel its own calls. On an open
 * (keyless, loopback-only) server every caller shares one key.
 */
export class InFlightCalls {
  private readonly calls = new Map<string, Set<() => void>>();

  private key(client: string, id: string | number): string {
    return `${client}\u0000${typeof id}:${id}`;
  }

  /** Returns the function that removes the registration. */
  register(client: string, id: string | number, cancel: () => void): () => void {
    const key = this.key(client, id);
    let entries = this.calls.get(key);
    if (!entries) {
      entries = new Set();
      this.calls.set(key, entries);
    }
    entries.add(cancel);
    return () => {
      entries.delete(cancel);
      if (entries.size === 0 && this.calls.get(key) === entries) this.calls.delete(key);
    };
  }

  cancel(client: string, id: string | number): void {
    for (const cancel of this.calls.get(this.key(client, id)) ?? []) cancel();
  }
}
