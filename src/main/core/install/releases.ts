// Reads XMRig's release list (GitHub API shape), validated with zod: drafts and tags that are not plain
// versions are dropped, asset URLs are checked, and releases come back newest first.
import { z } from 'zod';
import { InstallError } from './errors';
import { getBytes, type FetchLike } from './http';
import { checkUrl } from './url-policy';
import { compareVersionStrings, normalizeVersion } from './version-order';

const assetSchema = z.looseObject({
  name: z.string().min(1).max(300),
  size: z.number().int().nonnegative(),
  browser_download_url: z.string().min(1).max(2000),
});

const releaseSchema = z.looseObject({
  tag_name: z.string().min(1).max(100),
  name: z.string().nullable().optional(),
  draft: z.boolean().optional(),
  prerelease: z.boolean().optional(),
  published_at: z.string().nullable().optional(),
  assets: z.array(assetSchema).max(500),
});

const releaseListSchema = z.array(releaseSchema).max(1000);

export interface ReleaseAsset {
  name: string;
  size: number;
  url: string;
}

export interface XmrigRelease {
  /** "6.26.0" (the tag without its "v"). */
  version: string;
  tag: string;
  name: string;
  publishedAt: string | null;
  prerelease: boolean;
  assets: ReleaseAsset[];
}

/** A release list is a few hundred KB; more is not GitHub talking. */
export const MAX_RELEASE_LIST_BYTES = 8 * 1024 * 1024;

/** Validates the JSON and maps it; `downloadBaseUrl` replaces each asset URL with `<base>/<tag>/<name>`. */
export function parseReleaseList(json: unknown, downloadBaseUrl: string | null): XmrigRelease[] {
  const parsed = releaseListSchema.safeParse(json);
  if (!parsed.success) {
    // A failed parse always has an issue.
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
    throw new InstallError(
      'NETWORK',
      'bad-release-list',
      `The XMRig release list has an unexpected shape${where}: ${issue.message}`,
    );
  }
  const releases: XmrigRelease[] = [];
  for (const r of parsed.data) {
    const version = normalizeVersion(r.tag_name);
    if (r.draft || version === null) continue;
    releases.push({
      version,
      tag: r.tag_name,
      name: r.name ?? r.tag_name,
      publishedAt: r.published_at ?? null,
      prerelease: r.prerelease ?? false,
      assets: r.assets.map((a) => ({
        name: a.name,
        size: a.size,
        url: downloadBaseUrl
          ? `${downloadBaseUrl}/${encodeURIComponent(r.tag_name)}/${encodeURIComponent(a.name)}`
          : a.browser_download_url,
      })),
    });
  }
  return releases.sort((a, b) => compareVersionStrings(b.version, a.version));
}

export interface FetchReleasesOptions {
  releasesUrl: string;
  downloadBaseUrl: string | null;
  fetch?: FetchLike;
  signal?: AbortSignal;
  answerTimeoutMs: number;
}

export async function fetchReleaseList(opts: FetchReleasesOptions): Promise<XmrigRelease[]> {
  checkUrl(opts.releasesUrl, 'The XMRig release list URL');
  const bytes = await getBytes(opts.releasesUrl, {
    fetch: opts.fetch,
    signal: opts.signal,
    answerTimeoutMs: opts.answerTimeoutMs,
    what: 'the XMRig release list',
    headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
    maxBytes: MAX_RELEASE_LIST_BYTES,
  });
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new InstallError('NETWORK', 'bad-release-list', 'The XMRig release list is not valid JSON');
  }
  return parseReleaseList(json, opts.downloadBaseUrl);
}
