// Benchmark: a verified XMRig install of a 10 MB incompressible archive from a loopback server (download +
// signature + SHA-256 + extract, then --version and the switch), against a plain copy of the same archive
// as the floor, measured in the same run; plus peak RSS growth and the memory the install really holds.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { XmrigInstaller } from '../src/main/core/install/installer';
import type { InstallPhase } from '../src/main/core/install/types';
import { makeTarGz } from '../test/install/support/archives';
import {
  FakeReleaseServer,
  LINUX_ASSET,
  fakeBinary,
  realBanner,
  sumsFor,
} from '../test/install/support/fake-release';
import { makeTestKey, signDetached } from '../test/install/support/keys';

// Run bundled from out/bench (plain node) or via tsx from bench/.
const ROOT = [resolve(import.meta.dirname, '..'), resolve(import.meta.dirname, '../..')].find((dir) =>
  existsSync(join(dir, 'test/fakes/fake-xmrig.mjs')),
)!;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ARCHIVE_MB = Number(process.env.BENCH_ARCHIVE_MB ?? 10);
const VERSION = '6.26.0';

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? 0
    : s.length % 2
      ? s[(s.length - 1) / 2]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const MiB = 2 ** 20;

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'hashdeck-bench-install-'));
  const key = await makeTestKey();
  const archive = makeTarGz([
    { path: `xmrig-${VERSION}/`, type: 'dir' },
    { path: `xmrig-${VERSION}/xmrig`, content: fakeBinary(realBanner()), mode: 0o755 },
    { path: `xmrig-${VERSION}/data.bin`, content: randomBytes(ARCHIVE_MB * MiB) },
  ]);
  const assets = new Map([[LINUX_ASSET(VERSION), archive]]);
  const sums = sumsFor(assets);
  assets.set('SHA256SUMS', sums);
  assets.set('SHA256SUMS.sig', await signDetached(sums, key));
  const server = await new FakeReleaseServer().start();
  server.add({ version: VERSION, tag: `v${VERSION}`, prerelease: false, assets });
  const archiveFile = join(work, 'archive.tar.gz');
  await writeFile(archiveFile, archive);

  const source = {
    releasesUrl: server.releasesUrl,
    downloadBaseUrl: null,
    key: { armored: key.armoredPublic, fingerprint: key.fingerprint },
  };

  /**
   * One install into a fresh miners folder. Raw mode samples RSS as the OS sees it (garbage included);
   * `live` mode forces a GC before each sample, so it measures what the install actually holds.
   */
  const installOnce = async (run: number, mode: 'raw' | 'live') => {
    const minersDir = join(work, `miners-${run}`);
    const installer = new XmrigInstaller({
      minersDir,
      trust: { registerTrusted: async () => {}, forgetTrusted: async () => {} },
      source,
      platform: 'linux',
      arch: 'x64',
    });
    await installer.loadKey();
    gc();
    const base = process.memoryUsage();
    const baseLive = base.heapUsed + base.arrayBuffers;
    let peakRss = 0;
    let peakLive = 0;
    const sample = () => {
      if (mode === 'live') gc();
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss - base.rss);
      peakLive = Math.max(peakLive, m.heapUsed + m.arrayBuffers - baseLive);
    };
    const sampler = setInterval(sample, mode === 'live' ? 5 : 2);
    const phaseStart: Partial<Record<InstallPhase, number>> = {};
    installer.on('progress', (p) => {
      sample();
      phaseStart[p.phase] ??= performance.now();
    });
    const t0 = performance.now();
    await installer.install();
    const t1 = performance.now();
    clearInterval(sampler);
    sample();
    await rm(minersDir, { recursive: true, force: true });
    const at = (p: InstallPhase) => phaseStart[p] ?? t1;
    return {
      totalMs: t1 - t0,
      // Download + verify + extract: from fetching SHA256SUMS to the extracted binary, before --version.
      dveMs: at('checking-binary') - at('verifying-signature'),
      phases: {
        'verifying-signature': at('downloading') - at('verifying-signature'),
        downloading: at('verifying-archive') - at('downloading'),
        extracting: at('checking-binary') - at('extracting'),
        'checking-binary': at('activating') - at('checking-binary'),
        activating: at('done') - at('activating'),
      } as Partial<Record<InstallPhase, number>>,
      peakRss,
      peakLive,
    };
  };

  // Warm-up (loads undici, openpgp's code paths, the JIT): not counted.
  await installOnce(-1, 'raw');
  const installs: Awaited<ReturnType<typeof installOnce>>[] = [];
  const copies: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Floor: a plain copy of the same archive on the same disk, in the same run.
    const copyTarget = join(work, `copy-${run}.tar.gz`);
    const c0 = performance.now();
    await copyFile(archiveFile, copyTarget);
    copies.push(performance.now() - c0);
    await rm(copyTarget);
    installs.push(await installOnce(run, 'raw'));
  }
  const live = await installOnce(RUNS, 'live');
  await server.stop();
  await rm(work, { recursive: true, force: true });

  const floorMs = median(copies);
  const dveMs = median(installs.map((i) => i.dveMs));
  const totalMs = median(installs.map((i) => i.totalMs));
  const peakRss = Math.max(...installs.map((i) => i.peakRss));
  const phaseMedians = Object.fromEntries(
    (['verifying-signature', 'downloading', 'extracting', 'checking-binary', 'activating'] as const).map(
      (p) => [p, round(median(installs.map((i) => i.phases[p] ?? 0)))],
    ),
  );
  const result = {
    benchmark: 'install',
    date: new Date().toISOString(),
    node: process.version,
    runs: RUNS,
    archiveBytes: archive.length,
    downloadVerifyExtractMs: { median: round(dveMs), min: round(Math.min(...installs.map((i) => i.dveMs))) },
    fullInstallMs: { median: round(totalMs), min: round(Math.min(...installs.map((i) => i.totalMs))) },
    phaseMedianMs: phaseMedians,
    floorCopyFileMs: { median: round(floorMs, 2), min: round(Math.min(...copies), 2) },
    ratioToFloor: round(dveMs / floorMs),
    throughputMiBps: round(archive.length / MiB / (dveMs / 1000)),
    peakRssGrowthBytes: peakRss,
    peakRssGrowthOfArchive: round(peakRss / archive.length, 3),
    // Sampled after a forced GC every 5 ms in a separate run: the memory the install holds, without
    // chunks the GC has not collected yet (V8 collects external memory lazily, ~64 MB at a time).
    peakLiveGrowthBytes: live.peakLive,
    peakLiveGrowthOfArchive: round(live.peakLive / archive.length, 3),
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    targets: { peakLiveGrowthOfArchive: 0.5 },
  };
  const pass = { streaming: result.peakLiveGrowthOfArchive < 0.5 };
  await mkdir(join(ROOT, 'bench/results'), { recursive: true });
  await writeFile(
    join(ROOT, 'bench/results/install.json'),
    `${JSON.stringify({ ...result, pass }, null, 2)}\n`,
  );

  console.log(
    `install: ${round(archive.length / MiB)} MiB incompressible archive from loopback, ${RUNS} runs (median)`,
  );
  console.log(
    `  download+verify+extract ${result.downloadVerifyExtractMs.median} ms (${result.throughputMiBps} MiB/s); full install incl. --version ${result.fullInstallMs.median} ms`,
  );
  console.log(
    `  phases ${Object.entries(phaseMedians)
      .map(([p, ms]) => `${p} ${ms} ms`)
      .join(', ')}`,
  );
  console.log(
    `  floor: copyFile of the same archive ${result.floorCopyFileMs.median} ms -> ratio ${result.ratioToFloor}x`,
  );
  console.log(
    `  peak RSS growth ${round(peakRss / MiB)} MiB = ${round(result.peakRssGrowthOfArchive * 100)} % of the archive (chunks not yet garbage-collected included)`,
  );
  console.log(
    `  peak live memory (forced GC) ${round(live.peakLive / MiB)} MiB = ${round(result.peakLiveGrowthOfArchive * 100)} % of the archive (target < 50 %)  ${pass.streaming ? 'ok' : 'MISS'}`,
  );
}

await main();
