// The installer's small pure parts: the pinned XMRig key, SHA256SUMS lines, entry names, asset names per
// platform, the release list, tested-version status, rate-limit headers and the local-only overrides.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidateAssetNames, findAsset } from '../../src/main/core/install/assets';
import { safeEntrySegments } from '../../src/main/core/install/entry-path';
import { installFailureOf } from '../../src/main/core/install/errors';
import { rateLimitReset } from '../../src/main/core/install/http';
import { XMRIG_KEY_FINGERPRINT, XMRIG_SIGNING_KEY } from '../../src/main/core/install/pinned-key';
import { parseReleaseList } from '../../src/main/core/install/releases';
import { loadPinnedKey } from '../../src/main/core/install/signature';
import { DEFAULT_INSTALL_SOURCE, resolveInstallSource } from '../../src/main/core/install/source';
import { expectedSha256, parseSha256Sums } from '../../src/main/core/install/sums';
import { recommendedRelease, releaseStatus } from '../../src/main/core/install/tested';
import { compareVersionStrings, normalizeVersion } from '../../src/main/core/install/version-order';
import { rejection } from './support/harness';
import { makeTestKey } from './support/keys';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the pinned XMRig key', () => {
  it('is the key file in resources/keys, with the published fingerprint', async () => {
    expect(readFileSync(path.join(ROOT, 'resources/keys/xmrig-signing-key.asc'), 'utf8')).toBe(
      XMRIG_SIGNING_KEY,
    );
    const pinned = await loadPinnedKey(XMRIG_SIGNING_KEY, XMRIG_KEY_FINGERPRINT);
    // 9AC4 CEA8 E66E 35A5 C7CD  DC1B 446A 5363 8BE9 4409, as published.
    expect(pinned.fingerprint).toBe('9ac4cea8e66e35a5c7cddc1b446a53638be94409');
    expect(pinned.keyIds).toContain('446a53638be94409');
  });

  it('refuses a key whose fingerprint is not the pinned one', async () => {
    const other = await makeTestKey();
    const err = await rejection(loadPinnedKey(other.armoredPublic, XMRIG_KEY_FINGERPRINT));
    expect(installFailureOf(err)).toBe('bad-key');
    expect(err.message).toContain(`expected ${XMRIG_KEY_FINGERPRINT}`);
  });
});

describe('SHA256SUMS', () => {
  const a = 'a'.repeat(64);
  const b = 'B'.repeat(64);

  it('reads text and binary-mode lines, ignoring blanks, comments and junk', () => {
    const sums = parseSha256Sums(
      `${a}  xmrig-6.26.0-linux-static-x64.tar.gz\r\n\n# note\n${b} *./xmrig-6.26.0-msvc-win64.zip\nnot a line\n`,
    );
    expect(expectedSha256(sums, 'xmrig-6.26.0-linux-static-x64.tar.gz')).toBe(a);
    expect(expectedSha256(sums, 'xmrig-6.26.0-msvc-win64.zip')).toBe('b'.repeat(64));
    expect(installFailureOf(rejectionSync(() => expectedSha256(sums, 'xmrig.tar.gz')))).toBe(
      'missing-checksum',
    );
  });

  it('refuses a name listed with two different hashes', () => {
    expect(installFailureOf(rejectionSync(() => parseSha256Sums(`${a}  x.zip\n${b}  x.zip\n`)))).toBe(
      'checksum-mismatch',
    );
    // Also when one of the two spells it "./x.zip": it is the same file.
    const err = rejectionSync(() => parseSha256Sums(`${a}  ./x.zip\n${b} *x.zip\n`)) as Error;
    expect(err.message).toBe('SHA256SUMS lists x.zip twice with different hashes. Refused.');
  });

  it('strips only a leading "./" from a name', () => {
    const sums = parseSha256Sums(`${a}  dir/./x.zip\n${b}  x../y.zip\n`);
    expect([...sums.keys()]).toEqual(['dir/./x.zip', 'x../y.zip']);
  });

  it('a missing line names the asset in the message and the details', () => {
    const err = rejectionSync(() =>
      expectedSha256(new Map(), 'xmrig-6.26.0-linux-static-x64.tar.gz'),
    ) as Error & {
      code?: string;
      details?: unknown;
    };
    expect(err.code).toBe('VERIFICATION_FAILED');
    expect(err.message).toBe(
      'The signed SHA256SUMS has no line for xmrig-6.26.0-linux-static-x64.tar.gz, so it cannot be verified. Refused.',
    );
    expect(err.details).toEqual({
      asset: 'xmrig-6.26.0-linux-static-x64.tar.gz',
      reason: 'missing-checksum',
    });
  });
});

function rejectionSync(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('archive entry names', () => {
  it('keeps names inside the folder, dropping "." segments', () => {
    expect(safeEntrySegments('xmrig-6.26.0/xmrig')).toEqual(['xmrig-6.26.0', 'xmrig']);
    expect(safeEntrySegments('./a//b/./c')).toEqual(['a', 'b', 'c']);
    expect(safeEntrySegments('./')).toEqual([]);
    expect(safeEntrySegments('a/..b/c..')).toEqual(['a', '..b', 'c..']);
  });

  it.each([
    ['../x', 'parent folder'],
    ['a/../../x', 'parent folder'],
    ['a\\..\\x', 'parent folder'],
    ['/etc/passwd', 'absolute path'],
    ['\\\\server\\share\\x', 'absolute path'],
    ['C:/Windows/x', 'drive letter'],
    ['c:x', 'drive letter'],
    ['a/b:stream', 'colon'],
    ['a\0b', 'NUL byte'],
  ])('refuses %j (%s)', (name, why) => {
    const err = rejectionSync(() => safeEntrySegments(name)) as Error;
    expect(installFailureOf(err)).toBe('unsafe-archive');
    expect(err.message).toContain(why);
    // The refused name travels with the error, for the report a user sends.
    expect(err).toMatchObject({ details: { entry: name, reason: 'unsafe-archive' } });
  });
});

describe('assets for this machine', () => {
  const release = parseReleaseList(
    [
      {
        tag_name: 'v6.26.0',
        assets: [
          'xmrig-6.26.0-linux-static-x64.tar.gz',
          'xmrig-6.26.0-jammy-x64.tar.gz',
          'xmrig-6.26.0-macos-arm64.tar.gz',
          'xmrig-6.26.0-macos-x64.tar.gz',
          'xmrig-6.26.0-gcc-win64.zip',
          'xmrig-6.26.0-msvc-win64.zip',
          'SHA256SUMS',
        ].map((name) => ({ name, size: 1, browser_download_url: `https://github.com/d/${name}` })),
      },
    ],
    null,
  )[0]!;

  it.each([
    ['linux', 'x64', 'xmrig-6.26.0-linux-static-x64.tar.gz'],
    ['darwin', 'arm64', 'xmrig-6.26.0-macos-arm64.tar.gz'],
    ['darwin', 'x64', 'xmrig-6.26.0-macos-x64.tar.gz'],
    ['win32', 'x64', 'xmrig-6.26.0-msvc-win64.zip'],
    ['linux', 'arm64', null],
    ['win32', 'arm64', null],
  ] as const)('%s/%s → %s', (platform, arch, expected) => {
    expect(findAsset(release, platform, arch)?.name ?? null).toBe(expected);
  });

  it('takes a Linux arm64 static build where one is published, and the gcc build when msvc is absent', () => {
    expect(candidateAssetNames('6.27.0', 'linux', 'arm64')[0]).toBe('xmrig-6.27.0-linux-static-arm64.tar.gz');
    const gccOnly = { ...release, assets: release.assets.filter((a) => !a.name.includes('msvc')) };
    expect(findAsset(gccOnly, 'win32', 'x64')?.name).toBe('xmrig-6.26.0-gcc-win64.zip');
  });
});

describe('the release list', () => {
  const asset = (name: string) => ({ name, size: 10, browser_download_url: `https://github.com/x/${name}` });

  it('drops drafts and non-version tags, sorts numerically and can swap in a download base', () => {
    const list = parseReleaseList(
      [
        { tag_name: 'v6.9.0', assets: [asset('a')] },
        { tag_name: 'v6.26.0', assets: [asset('b c')], extra: 'ignored' },
        { tag_name: 'v6.27.0', draft: true, assets: [] },
        { tag_name: 'nightly', assets: [] },
      ],
      'https://mirror.example/xmrig',
    );
    expect(list.map((r) => r.version)).toEqual(['6.26.0', '6.9.0']);
    expect(list[0]!.assets[0]!.url).toBe('https://mirror.example/xmrig/v6.26.0/b%20c');
  });

  it('refuses a list of the wrong shape, naming where', () => {
    const err = rejectionSync(() =>
      parseReleaseList([{ tag_name: 'v1.0.0', assets: [{ name: 'x' }] }], null),
    ) as Error;
    expect(installFailureOf(err)).toBe('bad-release-list');
    expect(err.message).toContain('at 0.assets.0');
  });

  it('versions: strict parsing and numeric order', () => {
    expect(normalizeVersion('v6.26.0')).toBe('6.26.0');
    expect(normalizeVersion('6.26.0-rc1')).toBeNull();
    expect(normalizeVersion('../6.26.0')).toBeNull();
    expect(compareVersionStrings('6.9.0', '6.26.0')).toBeLessThan(0);
    expect(releaseStatus('6.26.0', ['6.26.0'])).toBe('tested');
    expect(releaseStatus('6.27.0', ['6.26.0'])).toBe('newer-untested');
    expect(releaseStatus('6.9.0', ['6.26.0'])).toBe('older-untested');
    expect(
      recommendedRelease(parseReleaseList([{ tag_name: 'v6.25.0', assets: [] }], null), ['6.26.0']),
    ).toBeNull();
  });
});

describe('rate-limit headers', () => {
  it('reads x-ratelimit-reset (epoch seconds) and retry-after (seconds or a date)', () => {
    expect(rateLimitReset(new Headers({ 'x-ratelimit-reset': '1700000000' }), 0)).toBe(1_700_000_000_000);
    expect(rateLimitReset(new Headers({ 'retry-after': '30' }), 1000)).toBe(31_000);
    expect(rateLimitReset(new Headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }), 0)).toBe(
      Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'),
    );
    expect(rateLimitReset(new Headers(), 0)).toBeNull();
  });
});

describe('local-only overrides (flags and environment)', () => {
  it('defaults to XMRig’s GitHub releases and the pinned key', async () => {
    expect(await resolveInstallSource({}, {})).toEqual(DEFAULT_INSTALL_SOURCE);
    expect(DEFAULT_INSTALL_SOURCE.releasesUrl).toBe(
      'https://api.github.com/repos/xmrig/xmrig/releases?per_page=100',
    );
  });

  it('reads HASHDECK_XMRIG_* variables; flags win over them', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hashdeck-src-'));
    try {
      const keyFile = path.join(dir, 'key.asc');
      await writeFile(keyFile, 'ARMORED');
      const env = {
        HASHDECK_XMRIG_RELEASES_URL: 'http://127.0.0.1:9/releases',
        HASHDECK_XMRIG_DOWNLOAD_BASE_URL: 'http://127.0.0.1:9/dl/',
        HASHDECK_XMRIG_KEY_FILE: keyFile,
        HASHDECK_XMRIG_KEY_FINGERPRINT: 'AB CD',
      };
      expect(await resolveInstallSource({}, env)).toEqual({
        releasesUrl: 'http://127.0.0.1:9/releases',
        downloadBaseUrl: 'http://127.0.0.1:9/dl',
        key: { armored: 'ARMORED', fingerprint: 'abcd' },
      });
      const flagged = await resolveInstallSource({ releasesUrl: 'https://mirror.example/r' }, env);
      expect(flagged.releasesUrl).toBe('https://mirror.example/r');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses plain http beyond loopback, a missing key file, and a fingerprint without a key', async () => {
    expect(
      installFailureOf(await rejection(resolveInstallSource({ releasesUrl: 'http://evil.example/r' }, {}))),
    ).toBe('bad-url');
    expect(
      installFailureOf(await rejection(resolveInstallSource({ keyFile: '/nonexistent/key.asc' }, {}))),
    ).toBe('bad-key');
    expect(
      installFailureOf(await rejection(resolveInstallSource({}, { HASHDECK_XMRIG_KEY_FINGERPRINT: 'ab' }))),
    ).toBe('bad-key');
  });
});
