// The installer's pure parts pinned to what the user sees: asset refusals, error mapping, the URL policy,
// the release list parser, tested-version choice, version order and the local-only source overrides.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MinerError } from '../../src/shared/errors';
import {
  candidateAssetNames,
  pickAsset,
  platformKey,
  signedSumsAssets,
} from '../../src/main/core/install/assets';
import {
  InstallError,
  cancelledError,
  installFailureOf,
  storageError,
} from '../../src/main/core/install/errors';
import type { FetchLike } from '../../src/main/core/install/http';
import { fetchReleaseList, parseReleaseList, type XmrigRelease } from '../../src/main/core/install/releases';
import { normalizeFingerprint, resolveInstallSource } from '../../src/main/core/install/source';
import { parseSha256Sums } from '../../src/main/core/install/sums';
import {
  TESTED_XMRIG_VERSIONS,
  recommendedRelease,
  releaseStatus,
  requireRecommended,
} from '../../src/main/core/install/tested';
import { checkUrl, isLoopbackHost } from '../../src/main/core/install/url-policy';
import { compareVersionStrings, normalizeVersion } from '../../src/main/core/install/version-order';
import { rejection } from './support/harness';

function thrown(fn: () => unknown): Error & { code?: string; details?: unknown } {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string; details?: unknown };
  }
  throw new Error('expected a throw');
}

const release = (version: string, names: string[], prerelease = false): XmrigRelease => ({
  version,
  tag: `v${version}`,
  name: `v${version}`,
  publishedAt: null,
  prerelease,
  assets: names.map((name) => ({ name, size: 1, url: `https://github.com/d/${name}` })),
});

describe('choosing the release assets', () => {
  it('a platform XMRig ships nothing for has no candidates', () => {
    expect(platformKey('linux', 'x64')).toBe('linux-x64');
    expect(candidateAssetNames('6.26.0', 'linux', 'ia32')).toEqual([]);
    expect(candidateAssetNames('6.26.0', 'freebsd', 'x64')).toEqual([
      'xmrig-6.26.0-freebsd-static-x64.tar.gz',
    ]);
  });

  it('picks the best build for this machine', () => {
    const r = release('6.26.0', ['xmrig-6.26.0-linux-x64.tar.gz', 'xmrig-6.26.0-linux-static-x64.tar.gz']);
    expect(pickAsset(r, 'linux', 'x64').name).toBe('xmrig-6.26.0-linux-static-x64.tar.gz');
    expect(pickAsset(release('6.26.0', ['xmrig-6.26.0-linux-x64.tar.gz']), 'linux', 'x64').url).toBe(
      'https://github.com/d/xmrig-6.26.0-linux-x64.tar.gz',
    );
  });

  it('no build for this machine: names what was published (XMRig archives only)', () => {
    const r = release('6.26.0', [
      'SHA256SUMS',
      'xmrig-6.26.0-macos-x64.tar.gz',
      'xmrig-6.26.0-gcc-win64.zip',
      'notes-xmrig-.txt',
    ]);
    const err = thrown(() => pickAsset(r, 'linux', 'arm64'));
    expect(err.code).toBe('UNSUPPORTED');
    expect(installFailureOf(err)).toBe('no-asset');
    expect(err.message).toBe(
      'XMRig 6.26.0 has no build for linux/arm64 (published: xmrig-6.26.0-macos-x64.tar.gz, xmrig-6.26.0-gcc-win64.zip).',
    );
    expect(err.details).toEqual({ platform: 'linux', arch: 'arm64', reason: 'no-asset' });
    expect(thrown(() => pickAsset(release('6.26.0', ['SHA256SUMS']), 'linux', 'x64')).message).toBe(
      'XMRig 6.26.0 has no build for linux/x64.',
    );
  });

  it('a release without SHA256SUMS or its signature cannot be verified, and says which is missing', () => {
    const both = release('6.26.0', ['SHA256SUMS', 'SHA256SUMS.sig']);
    expect(signedSumsAssets(both).sums.name).toBe('SHA256SUMS');
    expect(signedSumsAssets(both).signature.name).toBe('SHA256SUMS.sig');
    const noSums = thrown(() => signedSumsAssets(release('6.26.0', ['SHA256SUMS.sig'])));
    expect(noSums.code).toBe('VERIFICATION_FAILED');
    expect(installFailureOf(noSums)).toBe('missing-checksums');
    expect(noSums.message).toBe(
      'XMRig 6.26.0 publishes no SHA256SUMS, so its download cannot be verified. Refused.',
    );
    expect(thrown(() => signedSumsAssets(release('6.26.0', ['SHA256SUMS']))).message).toBe(
      'XMRig 6.26.0 publishes no SHA256SUMS.sig, so its download cannot be verified. Refused.',
    );
  });
});

describe('install errors', () => {
  it('carry their reason in the details, next to what the thrower added', () => {
    const err = new InstallError('NETWORK', 'offline', 'down', { errno: 'ENETDOWN' });
    expect(err).toBeInstanceOf(MinerError);
    expect(err.name).toBe('InstallError');
    expect(err.reason).toBe('offline');
    expect(err.details).toEqual({ errno: 'ENETDOWN', reason: 'offline' });
    expect(new InstallError('NETWORK', 'offline', 'down').details).toEqual({ reason: 'offline' });
  });

  it('a MinerError that crossed a boundary keeps its reason only when it is a known one', () => {
    expect(installFailureOf(new MinerError('NETWORK', 'x', { reason: 'rate-limited' }))).toBe('rate-limited');
    expect(installFailureOf(new MinerError('NETWORK', 'x', { reason: 'weird' }))).toBeNull();
    expect(installFailureOf(new MinerError('NETWORK', 'x'))).toBeNull();
    expect(installFailureOf(new Error('x'))).toBeNull();
    expect(installFailureOf('offline')).toBeNull();
    // `throw undefined` or `throw null` from a dependency is not an install failure either (and no crash).
    expect(installFailureOf(undefined)).toBeNull();
    expect(installFailureOf(null)).toBeNull();
  });

  it('cancel and storage errors say what happened, keeping the OS message and errno', () => {
    const c = cancelledError();
    expect(c.code).toBe('CANCELLED');
    expect(c.reason).toBe('cancelled');
    expect(c.message).toBe('The XMRig install was cancelled');
    const s = storageError('write /x', Object.assign(new Error('no space left'), { code: 'ENOSPC' }));
    expect(s.code).toBe('STORAGE');
    expect(s.reason).toBe('storage');
    expect(s.message).toBe('Could not write /x: no space left');
    expect(s.details).toEqual({ errno: 'ENOSPC', reason: 'storage' });
    expect(storageError('write /x', 'gone').message).toBe('Could not write /x: gone');
    expect(storageError('write /x', 'gone').details).toEqual({ reason: 'storage' });
    expect(storageError('write /x', undefined).details).toEqual({ reason: 'storage' });
  });
});

describe('the URL policy', () => {
  it('allows https anywhere and plain http on loopback only', () => {
    expect(checkUrl('https://example.com/x', 'w').host).toBe('example.com');
    for (const host of ['127.0.0.1', '127.1.2.3', '127.10.200.255', 'localhost', 'LOCALHOST', '[::1]']) {
      expect(checkUrl(`http://${host}:8080/x`, 'w').protocol).toBe('http:');
    }
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('Localhost')).toBe(true);
    for (const host of ['127.0.0.1.evil.example', 'x127.0.0.1', '128.0.0.1', '10.0.0.1']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });

  it('refuses other schemes and plain http elsewhere, naming what and where', () => {
    const err = thrown(() => checkUrl('http://example.com/path?q', 'The list'));
    expect(err.code).toBe('INVALID_INPUT');
    expect(installFailureOf(err)).toBe('bad-url');
    expect(err.message).toBe('The list must use https (plain http only on loopback): http://example.com');
    expect(err.details).toEqual({ url: 'http://example.com', reason: 'bad-url' });
    expect(installFailureOf(thrown(() => checkUrl('ftp://127.0.0.1/x', 'w')))).toBe('bad-url');
    expect(installFailureOf(thrown(() => checkUrl('file:///etc/passwd', 'w')))).toBe('bad-url');
    const bad = thrown(() => checkUrl('not a url', 'The list'));
    expect(bad.code).toBe('INVALID_INPUT');
    expect(installFailureOf(bad)).toBe('bad-url');
    expect(bad.message).toBe('The list is not a valid URL: not a url');
  });
});

describe('the release list', () => {
  it('fills in defaults: the tag as name, no date, not a prerelease; keeps the GitHub URL without a mirror', () => {
    const [r] = parseReleaseList(
      [
        {
          tag_name: 'v6.26.0',
          name: null,
          assets: [{ name: 'a', size: 3, browser_download_url: 'https://g/a' }],
        },
      ],
      null,
    );
    expect(r).toEqual({
      version: '6.26.0',
      tag: 'v6.26.0',
      name: 'v6.26.0',
      publishedAt: null,
      prerelease: false,
      assets: [{ name: 'a', size: 3, url: 'https://g/a' }],
    });
    const [named] = parseReleaseList(
      [{ tag_name: '6.25.0', name: 'Big one', prerelease: true, published_at: '2026-01-01', assets: [] }],
      null,
    );
    expect(named).toMatchObject({
      version: '6.25.0',
      name: 'Big one',
      prerelease: true,
      publishedAt: '2026-01-01',
    });
  });

  it('refuses a list that is not an array, saying so without a location', () => {
    const err = thrown(() => parseReleaseList({ message: 'Not Found' }, null));
    expect(err.code).toBe('NETWORK');
    expect(installFailureOf(err)).toBe('bad-release-list');
    expect(err.message).toMatch(/^The XMRig release list has an unexpected shape: /);
  });

  it('refuses a release whose fields are out of bounds', () => {
    const a = { name: 'a', size: 1, browser_download_url: 'https://g/a' };
    for (const bad of [
      { tag_name: '', assets: [] },
      { tag_name: 'v'.repeat(101), assets: [] },
      { tag_name: 'v1.0.0', assets: [{ ...a, name: '' }] },
      { tag_name: 'v1.0.0', assets: [{ ...a, name: 'n'.repeat(301) }] },
      { tag_name: 'v1.0.0', assets: [{ ...a, size: -1 }] },
      { tag_name: 'v1.0.0', assets: [{ ...a, size: 1.5 }] },
      { tag_name: 'v1.0.0', assets: [{ ...a, browser_download_url: '' }] },
      { tag_name: 'v1.0.0', assets: [{ ...a, browser_download_url: `https://g/${'x'.repeat(2000)}` }] },
      { tag_name: 'v1.0.0', assets: Array.from({ length: 501 }, () => a) },
    ]) {
      expect(installFailureOf(thrown(() => parseReleaseList([bad], null)))).toBe('bad-release-list');
    }
    expect(
      parseReleaseList([{ tag_name: 'v1.0.0', assets: Array.from({ length: 500 }, () => a) }], null),
    ).toHaveLength(1);
    expect(
      installFailureOf(
        thrown(() =>
          parseReleaseList(
            Array.from({ length: 1001 }, () => ({ tag_name: 'x', assets: [] })),
            null,
          ),
        ),
      ),
    ).toBe('bad-release-list');
  });
});

describe('fetching the release list', () => {
  const recording = (body: string, status = 200) => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push({ url, init });
      return new Response(body, { status });
    };
    return { fetch, calls };
  };
  const opts = (fetch: FetchLike, releasesUrl = 'https://api.github.com/repos/xmrig/xmrig/releases') => ({
    releasesUrl,
    downloadBaseUrl: null,
    fetch,
    answerTimeoutMs: 1000,
  });

  it("asks GitHub's API for its JSON and parses it", async () => {
    const { fetch, calls } = recording(JSON.stringify([{ tag_name: 'v6.26.0', assets: [] }]));
    expect((await fetchReleaseList(opts(fetch))).map((r) => r.version)).toEqual(['6.26.0']);
    expect(calls[0]!.init.headers).toMatchObject({
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
    });
  });

  it('refuses a list that is not JSON, a URL the policy refuses, and names the list in HTTP errors', async () => {
    const junk = await rejection(fetchReleaseList(opts(recording('<html>').fetch)));
    expect(junk.code).toBe('NETWORK');
    expect(installFailureOf(junk)).toBe('bad-release-list');
    expect(junk.message).toBe('The XMRig release list is not valid JSON');
    const url = await rejection(fetchReleaseList(opts(recording('[]').fetch, 'http://example.com/r')));
    expect(url.message).toMatch(/^The XMRig release list URL must use https/);
    const status = await rejection(fetchReleaseList(opts(recording('', 500).fetch)));
    expect(status.message).toBe('api.github.com answered HTTP 500 for the XMRig release list.');
  });
});

describe('tested versions and their order', () => {
  it('HashDeck was tested with XMRig 6.26.0', () => {
    expect(TESTED_XMRIG_VERSIONS).toEqual(['6.26.0']);
    expect(releaseStatus('6.26.0')).toBe('tested');
    expect(releaseStatus('6.27.0')).toBe('newer-untested');
  });

  it('older than the newest tested version is "older"; with nothing tested, everything is "newer"', () => {
    // Not sorted: the newest tested is found by version order, not list order.
    expect(releaseStatus('6.20.0', ['6.30.0', '6.10.0'])).toBe('older-untested');
    expect(releaseStatus('6.40.0', ['6.30.0', '6.10.0'])).toBe('newer-untested');
    expect(releaseStatus('6.26.0', [])).toBe('newer-untested');
    // "Older" means older than some tested version: one equal in order (but not listed as is) is not.
    expect(releaseStatus('6.26.0', ['v6.26.0'])).toBe('newer-untested');
  });

  it('recommends the newest tested full release; none: an error listing what was tested', () => {
    const list = [
      release('6.27.0', []),
      release('6.26.1', [], true),
      release('6.26.0', []),
      release('6.25.0', []),
    ];
    expect(recommendedRelease(list, ['6.25.0', '6.26.0', '6.26.1'])?.version).toBe('6.26.0');
    expect(recommendedRelease(list)?.version).toBe('6.26.0');
    expect(requireRecommended(list, ['6.25.0']).version).toBe('6.25.0');
    const err = thrown(() => requireRecommended(list, ['6.1.0', '6.2.0']));
    expect(err.code).toBe('NOT_FOUND');
    expect(installFailureOf(err)).toBe('no-release');
    expect(err.message).toBe(
      'None of the XMRig versions HashDeck was tested with (6.1.0, 6.2.0) is in the release list; choose a version explicitly.',
    );
    expect(err.details).toEqual({ tested: ['6.1.0', '6.2.0'], reason: 'no-release' });
    expect(thrown(() => requireRecommended([release('6.1.0', [])])).message).toContain('(6.26.0)');
  });

  it('versions are strict and ordered part by part', () => {
    expect(normalizeVersion('v06.026.00')).toBe('6.26.0');
    expect(normalizeVersion('6.26')).toBeNull();
    expect(normalizeVersion('x6.26.0')).toBeNull();
    expect(normalizeVersion('6.26.0.1')).toBeNull();
    expect(normalizeVersion('1234567.0.0')).toBeNull();
    expect(normalizeVersion('123456.0.0')).toBe('123456.0.0');
    expect(compareVersionStrings('6.26.1', '6.26.0')).toBeGreaterThan(0);
    expect(compareVersionStrings('6.26.0', '6.26.1')).toBeLessThan(0);
    expect(compareVersionStrings('7.0.0', '6.99.99')).toBeGreaterThan(0);
    expect(compareVersionStrings('6.27.0', '6.26.9')).toBeGreaterThan(0);
    expect(compareVersionStrings('v6.26.0', '6.26.0')).toBe(0);
    // Anything that is not a version sorts as 0.0.0.
    expect(compareVersionStrings('junk', '0.0.0')).toBe(0);
    expect(compareVersionStrings('0.0.1', 'junk')).toBeGreaterThan(0);
  });
});

describe('SHA256SUMS lines', () => {
  const a = 'a'.repeat(64);
  it('needs exactly 64 hex digits, one separator and a name; the same line twice is fine', () => {
    const sums = parseSha256Sums(
      [
        `${a}  ok.zip`,
        `${a}  ok.zip`,
        `${'a'.repeat(63)}  short.zip`,
        `${a}x  long.zip`,
        `${a}   `,
        `  ${a}  spaced.zip  `,
        `${a}\tab.zip`,
      ].join('\n'),
    );
    expect([...sums.keys()]).toEqual(['ok.zip', 'spaced.zip']);
  });
});

describe('the install source (local flags and environment only)', () => {
  it('normalizes a fingerprint as gpg prints it', () => {
    expect(normalizeFingerprint(' 9AC4 CEA8\tE66E\n35A5 ')).toBe('9ac4cea8e66e35a5');
  });

  it('empty flags fall back to the environment; a download base loses its trailing slashes', async () => {
    const src = await resolveInstallSource(
      { releasesUrl: '', downloadBaseUrl: '' },
      {
        HASHDECK_XMRIG_RELEASES_URL: 'https://r.example/list',
        HASHDECK_XMRIG_DOWNLOAD_BASE_URL: 'https://m.example/x///',
      },
    );
    expect(src.releasesUrl).toBe('https://r.example/list');
    expect(src.downloadBaseUrl).toBe('https://m.example/x');
  });

  it('a key file without a fingerprint is used as it is; a bad download base is refused naming its variable', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hashdeck-src-'));
    try {
      const keyFile = path.join(dir, 'k.asc');
      await writeFile(keyFile, 'KEY');
      expect((await resolveInstallSource({ keyFile }, {})).key).toEqual({
        armored: 'KEY',
        fingerprint: null,
      });
      const err = await rejection(resolveInstallSource({ downloadBaseUrl: 'http://m.example' }, {}));
      expect(err.message).toContain('HASHDECK_XMRIG_DOWNLOAD_BASE_URL must use https');
      const rel = await rejection(resolveInstallSource({}, { HASHDECK_XMRIG_RELEASES_URL: 'ftp://x' }));
      expect(rel.message).toContain('HASHDECK_XMRIG_RELEASES_URL must use https');
      const missing = await rejection(resolveInstallSource({ keyFile: path.join(dir, 'nope.asc') }, {}));
      expect(missing.code).toBe('INVALID_INPUT');
      expect(missing.message).toMatch(
        new RegExp(`^Cannot read the signing key file .*nope\\.asc \\(HASHDECK_XMRIG_KEY_FILE\\): ENOENT`),
      );
      const alone = await rejection(resolveInstallSource({ keyFingerprint: 'ab' }, {}));
      expect(alone.code).toBe('INVALID_INPUT');
      expect(alone.message).toBe(
        'HASHDECK_XMRIG_KEY_FINGERPRINT needs HASHDECK_XMRIG_KEY_FILE: the pinned XMRig key cannot be swapped by fingerprint alone',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
