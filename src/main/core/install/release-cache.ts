// Caches the release list for an hour (in memory, and in a small JSON file in the data folder so a
// restart does not spend GitHub's 60-requests-an-hour quota); a failed fetch is never cached.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { atomicWrite } from '../util/atomic-write';
import type { XmrigRelease } from './releases';

export const RELEASE_CACHE_TTL_MS = 60 * 60 * 1000;

const cacheSchema = z.object({
  source: z.string(),
  fetchedAt: z.number(),
  releases: z.array(
    z.object({
      version: z.string(),
      tag: z.string(),
      name: z.string(),
      publishedAt: z.string().nullable(),
      prerelease: z.boolean(),
      assets: z.array(z.object({ name: z.string(), size: z.number(), url: z.string() })),
    }),
  ),
});

export interface CachedReleases {
  fetchedAt: number;
  releases: XmrigRelease[];
}

export class ReleaseCache {
  private memory: (CachedReleases & { source: string }) | null = null;

  /**
   * @param source the release list URL and download base: a cache made for another source is ignored.
   * @param file JSON cache path, or null for memory only.
   */
  constructor(
    private readonly source: string,
    private readonly file: string | null,
    private readonly ttlMs = RELEASE_CACHE_TTL_MS,
  ) {}

  /** A fresh cached list, or null. */
  async get(now: number): Promise<CachedReleases | null> {
    if (!this.memory && this.file) this.memory = await this.readFile();
    const m = this.memory;
    if (!m || m.source !== this.source || now - m.fetchedAt >= this.ttlMs || now < m.fetchedAt) return null;
    return { fetchedAt: m.fetchedAt, releases: m.releases };
  }

  async set(releases: XmrigRelease[], now: number): Promise<void> {
    this.memory = { source: this.source, fetchedAt: now, releases };
    if (!this.file) return;
    // Only a cache: failing to write it costs one more request next start, nothing else.
    await atomicWrite(this.file, JSON.stringify(this.memory), 0o600).catch(() => {});
  }

  private async readFile(): Promise<(CachedReleases & { source: string }) | null> {
    // Holds nothing the user made: a missing, unreadable or invalid cache is ignored and replaced on the next
    // fetch (undefined fails the schema like any other wrong content).
    const data = await readFile(this.file!)
      .then((b): unknown => JSON.parse(b.toString()))
      .catch(() => undefined);
    const parsed = cacheSchema.safeParse(data);
    return parsed.success ? parsed.data : null;
  }
}
