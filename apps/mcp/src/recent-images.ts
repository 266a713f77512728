/**
 * The images this process generated, newest first, per client: what
 * resources/list shows. Kept in memory (a stdio server lives as long as its client
 * session); each client key sees only its own.
 */
export interface RecentImage {
  id: string;
  uri: string;
  fileName: string;
  path: string;
  mimeType: string;
  width: number;
  height: number;
  byteLength: number;
  model: string;
  prompt: string;
  createdAt: string;
}

export class RecentImages {
  private readonly byClient = new Map<string, RecentImage[]>();

  constructor(private readonly limit: number) {}

  add(client: string, image: RecentImage): void {
    const list = (this.byClient.get(client) ?? []).filter((entry) => entry.path !== image.path);
    list.unshift(image);
    if (list.length > this.limit) list.length = this.limit;
    this.byClient.set(client, list);
  }

  list(client: string): readonly RecentImage[] {
    return this.byClient.get(client) ?? [];
  }
}
