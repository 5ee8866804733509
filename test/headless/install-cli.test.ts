// `npm run headless -- install xmrig`: the local user's verified install from a terminal, pointed at a
// loopback release with the --xmrig-* flags (or the HASHDECK_XMRIG_* environment), with progress lines,
// a cancel that leaves nothing behind, and clear refusals of bad flags. `serve` takes the same flags.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInstallCommand } from '../../src/main/headless/install-cli';
import { parseServeArgs, UsageError } from '../../src/main/headless/serve-options';
import { TrustStore } from '../../src/main/core/trust/trust-store';
import { FakeReleaseServer, LINUX_ASSET, buildRelease } from '../install/support/fake-release';
import { testKey } from '../install/support/harness';

let dir: string;
let server: FakeReleaseServer;
let keyFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hashdeck-install-cli-'));
  server = await new FakeReleaseServer().start();
  const key = await testKey();
  server.add(await buildRelease({ key, version: '6.26.0' }));
  keyFile = join(dir, 'test-key.asc');
  await writeFile(keyFile, key.armoredPublic);
});

afterEach(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

const flags = () => [
  '--data-dir',
  join(dir, 'data'),
  '--xmrig-releases-url',
  server.releasesUrl,
  '--xmrig-key-file',
  keyFile,
];

// The CLI picks the asset for this machine; the fake release has Linux x64, macOS arm64 and Windows x64.
const supported = ['linux-x64', 'darwin-arm64', 'win32-x64'].includes(`${process.platform}-${process.arch}`);

describe.runIf(supported)('install xmrig', () => {
  it('installs the tested version, printing each step, and trusts it', async () => {
    const lines: string[] = [];
    const code = await runInstallCommand(['xmrig', ...flags()], { print: (l) => lines.push(l), env: {} });
    expect(code).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/^reading the release list\.\.\.$/m);
    expect(text).toMatch(/^checking SHA256SUMS against XMRig's signing key \(XMRig 6\.26\.0\)\.\.\.$/m);
    expect(text).toMatch(/^ {2}downloading 100% \(\d+\.\d MB of \d+\.\d MB, [\d.]+ MB\/s\)$/m);
    expect(text).toMatch(/^running xmrig --version \(XMRig 6\.26\.0\)\.\.\.$/m);
    expect(text).toContain(`Installed XMRig 6.26.0 in ${join(dir, 'data', 'miners', 'xmrig', '6.26.0')}`);
    const trust = new TrustStore(join(dir, 'data'));
    await trust.load();
    const [entry] = await trust.list();
    expect(entry).toMatchObject({ minerType: 'xmrig', source: 'installed', version: '6.26.0' });
    expect(text).toContain(`trusted as ${entry!.id}`);
  });

  it('takes the release source from HASHDECK_XMRIG_* when no flag is given', async () => {
    const lines: string[] = [];
    const env = { HASHDECK_XMRIG_RELEASES_URL: server.releasesUrl, HASHDECK_XMRIG_KEY_FILE: keyFile };
    const code = await runInstallCommand(['xmrig', '--version', 'v6.26.0', '--data-dir', join(dir, 'data')], {
      print: (l) => lines.push(l),
      env,
    });
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('Installed XMRig 6.26.0');
    expect(server.requests[0]).toBe('/repos/xmrig/xmrig/releases');
  });

  it('Ctrl+C cancels the download and leaves nothing installed', async () => {
    server.faults.set(LINUX_ASSET('6.26.0'), { stallAt: 2048 });
    let cancel: (() => void) | null = null;
    const lines: string[] = [];
    const run = runInstallCommand(['xmrig', ...flags()], {
      env: {},
      print: (l) => {
        lines.push(l);
        if (l.startsWith('  downloading') && cancel) cancel();
      },
      onInterrupt: (fn) => {
        cancel = fn;
        return () => (cancel = null);
      },
    });
    expect(await run).toBe(130);
    expect(lines.at(-1)).toBe('Cancelled; nothing was installed.');
    expect(await readdir(join(dir, 'data', 'miners'))).toEqual([]);
  });
});

describe('install xmrig refusals', () => {
  it('refuses anything but xmrig, saying how TT-Miner is trusted', async () => {
    await expect(runInstallCommand(['ttminer'], { print: () => {} })).rejects.toThrow(/trust add PATH/);
    await expect(runInstallCommand([], { print: () => {} })).rejects.toThrow(UsageError);
    await expect(runInstallCommand(['xmrig', '--url', 'x'], { print: () => {} })).rejects.toThrow(UsageError);
  });

  it('refuses a plain-http release URL off loopback and an unreadable key file before any request', async () => {
    await expect(
      runInstallCommand(['xmrig', '--data-dir', dir, '--xmrig-releases-url', 'http://example.com/r'], {
        env: {},
        print: () => {},
      }),
    ).rejects.toThrow(/must use https \(plain http only on loopback\)/);
    await expect(
      runInstallCommand(['xmrig', ...flags().slice(0, 4), '--xmrig-key-file', join(dir, 'nope.asc')], {
        env: {},
        print: () => {},
      }),
    ).rejects.toThrow(/Cannot read the signing key file .*nope\.asc/);
    expect(server.requests).toEqual([]);
  });
});

describe('serve takes the same local-only flags', () => {
  it('parses the --xmrig-* flags into install overrides', () => {
    const opts = parseServeArgs(
      ['--xmrig-releases-url', 'http://127.0.0.1:1/r', '--xmrig-download-base-url', 'https://m.example/x'],
      {},
    );
    expect(opts.install).toEqual({
      releasesUrl: 'http://127.0.0.1:1/r',
      downloadBaseUrl: 'https://m.example/x',
    });
    expect(parseServeArgs([], {}).install).toEqual({});
  });
});
