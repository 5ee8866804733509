// Every way a download can be wrong is refused and leaves nothing: a signature by another key, SHA256SUMS
// changed after signing, an archive that does not match, a missing line, a binary of another version.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFailureOf } from '../../src/main/core/install/errors';
import { LINUX_ASSET, sumsFor } from './support/fake-release';
import { signDetached } from './support/keys';
import { makeWorld, otherKey, rejection, type World } from './support/harness';

let w: World;

beforeEach(async () => {
  w = await makeWorld();
});

afterEach(async () => {
  await w.dispose();
});

/** Installs, expects a refusal with `reason`, and checks nothing was left or trusted. */
async function refused(reason: string, code = 'VERIFICATION_FAILED') {
  const failed: unknown[] = [];
  const installer = w.installer();
  installer.on('failed', (f) => failed.push(f));
  const err = await rejection(installer.install());
  expect(installFailureOf(err)).toBe(reason);
  expect(err.code).toBe(code);
  expect(await w.minersContent()).toEqual([]);
  expect(w.trust.registered).toEqual([]);
  expect(failed).toHaveLength(1);
  return err;
}

describe('refused downloads leave nothing installed and nothing trusted', () => {
  it('a SHA256SUMS signed by another key', async () => {
    await w.release({ version: '6.26.0', key: await otherKey() });
    const err = await refused('wrong-key');
    expect(err.message).toMatch(/signed by key [0-9a-f]{16}, not by XMRig's key/);
    // Refused before the archive was fetched.
    expect(w.server.requests.some((r) => r.endsWith('.tar.gz'))).toBe(false);
  });

  it('a SHA256SUMS changed after signing (archive and sums swapped together)', async () => {
    await w.release({ version: '6.26.0' });
    const release = w.server.releases[0]!;
    const evil = Buffer.from('not xmrig');
    release.assets.set(LINUX_ASSET('6.26.0'), evil);
    const assets = new Map([...release.assets].filter(([n]) => !n.startsWith('SHA256SUMS')));
    release.assets.set('SHA256SUMS', sumsFor(assets));
    const err = await refused('bad-signature');
    expect(err.message).toContain('changed after signing');
  });

  it('a signature that is not OpenPGP at all', async () => {
    await w.release({ version: '6.26.0' });
    w.server.releases[0]!.assets.set('SHA256SUMS.sig', Buffer.from('hello'));
    await refused('bad-signature');
  });

  it('an archive that does not match its signed checksum', async () => {
    await w.release({ version: '6.26.0' });
    const release = w.server.releases[0]!;
    const archive = Buffer.from(release.assets.get(LINUX_ASSET('6.26.0'))!);
    const at = archive.length - 20;
    archive[at] = archive[at]! ^ 0xff;
    release.assets.set(LINUX_ASSET('6.26.0'), archive);
    const err = await refused('checksum-mismatch');
    expect(err.message).toContain('does not match its signed checksum');
  });

  it('an archive with no line in SHA256SUMS', async () => {
    await w.release({ version: '6.26.0', omitSums: [LINUX_ASSET('6.26.0')] });
    const err = await refused('missing-checksum');
    expect(err.message).toContain(LINUX_ASSET('6.26.0'));
  });

  it('a release without SHA256SUMS.sig', async () => {
    await w.release({ version: '6.26.0' });
    w.server.releases[0]!.assets.delete('SHA256SUMS.sig');
    await refused('missing-checksums');
  });

  it('a SHA256SUMS listing the archive twice with different hashes', async () => {
    await w.release({ version: '6.26.0' });
    const release = w.server.releases[0]!;
    const sums = Buffer.concat([
      release.assets.get('SHA256SUMS')!,
      Buffer.from(`${'0'.repeat(64)}  ${LINUX_ASSET('6.26.0')}\n`),
    ]);
    release.assets.set('SHA256SUMS', sums);
    release.assets.set('SHA256SUMS.sig', await signDetached(sums, w.key));
    await refused('checksum-mismatch');
  });

  it('a binary whose --version names another version', async () => {
    await w.release({ version: '6.26.0', bannerVersion: '6.25.0' });
    const err = await refused('version-mismatch');
    expect(err.message).toContain('"XMRig 6.25.0"');
    expect(err.message).toContain('expected XMRig 6.26.0');
  });

  it('a binary that fails --version', async () => {
    await w.release({
      version: '6.26.0',
      entries: (bin) => [
        {
          path: `xmrig-6.26.0/${bin}`,
          content: '#!/bin/sh\necho "no such option" >&2\nexit 3\n',
          mode: 0o755,
        },
      ],
    });
    const err = await refused('version-check-failed');
    expect(err.message).toContain('exit 3');
    expect(err.message).toContain('no such option');
  });

  it('an archive without the binary', async () => {
    await w.release({
      version: '6.26.0',
      entries: () => [{ path: 'xmrig-6.26.0/README.md', content: 'hi' }],
    });
    await refused('no-binary');
  });

  it('a pinned key whose fingerprint is not the expected one (a swapped key file)', async () => {
    await w.release({ version: '6.26.0' });
    const installer = w.installer({
      source: {
        releasesUrl: w.server.releasesUrl,
        downloadBaseUrl: null,
        key: { armored: w.key.armoredPublic, fingerprint: '9ac4cea8e66e35a5c7cddc1b446a53638be94409' },
      },
    });
    const err = await rejection(installer.install());
    expect(installFailureOf(err)).toBe('bad-key');
    expect(await w.minersContent()).toEqual([]);
    expect(w.trust.registered).toEqual([]);
  });

  it('a trust store that fails to record the binary: the new folder is removed again', async () => {
    await w.release({ version: '6.26.0' });
    w.trust.fail = new Error('disk full');
    const err = await rejection(w.installer().install());
    expect(err.message).toContain('disk full');
    expect(await w.minersContent()).toEqual([]);
  });

  it('a failed reinstall of an installed version puts the previous folder back', async () => {
    await w.release({ version: '6.26.0' });
    const first = await w.installer().install();
    const before = await w.minersContent();
    w.trust.fail = new Error('disk full');
    await rejection(w.installer().install());
    expect(await w.minersContent()).toEqual(before);
    expect(w.trust.registered).toHaveLength(1);
    expect(await w.installer().listInstalled()).toEqual([first]);
  });
});
