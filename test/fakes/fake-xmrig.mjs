#!/usr/bin/env node
// Fake XMRig 6.26.0 for integration tests, the benchmark and demo mode: same flags, stdout lines, HTTP API
// status codes and bodies as the real binary (captured in test/fakes/data/xmrig/), but it mines nothing.
// @ts-check
/*
 * Run: node test/fakes/fake-xmrig.mjs --no-color --bench=1M --http-host=127.0.0.1 --http-port=18080 \
 *        --http-access-token=secret --http-no-restricted
 *      node test/fakes/fake-xmrig.mjs --config=config.json          (watch / autosave like the real one)
 *      node test/fakes/fake-xmrig.mjs --bench=1M --multi-port-base=20000 --multi-count=100 \
 *        --http-access-token=t --http-no-restricted                 (100 independent APIs, one process)
 *
 * Environment (all optional; see test/fakes/README.md):
 *   FAKE_XMRIG_RATE=500          H/s per thread            FAKE_XMRIG_WARMUP_MS / FAKE_WARMUP_MS=1500  dataset init
 *   FAKE_XMRIG_WINDOW_SCALE=1    10s/60s/15m windows x N   FAKE_XMRIG_PRINT_MS      speed line period (default 2000)
 *   FAKE_XMRIG_CORES             pretend core count        FAKE_SHARE_MS=4000       mean time between shares (pool)
 *   FAKE_REJECT_RATE=0           rejected share fraction   FAKE_XMRIG_DIFF=120001   pool difficulty
 *   FAKE_SEED=1                  PRNG seed                 FAKE_STDOUT_TO_FILE=1    write even if stdout is a file
 *   FAKE_BURN=1|0..1             burn real CPU (duty)      FAKE_BURN_MAX_MS=60000   burn stops after this
 *   Faults: FAKE_CRASH_AFTER_MS, FAKE_CRASH_CODE=1, FAKE_CRASH_SIGNAL, FAKE_CONFIG_ERROR, FAKE_API_HANG,
 *   FAKE_API_MALFORMED, FAKE_API_HUGE (+FAKE_API_HUGE_BYTES), FAKE_API_SLOW_MS, FAKE_IGNORE_SIGTERM,
 *   FAKE_FLOOD (+FAKE_FLOOD_LINES=100000), FAKE_ZERO_RATE, FAKE_SPAWN_CHILD (+FAKE_CHILD_MAX_MS=120000, FAKE_CHILD_DETACHED).
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Burner } from './lib/burn.mjs';
import { readKeys } from './lib/console.mjs';
import { envBool, envNum, envOptNum, envRaw } from './lib/env.mjs';
import { flood, onTerminationSignals, readFaults, scheduleCrash, spawnGrandchild } from './lib/faults.mjs';
import { ANSI, flushAndExit, ignoreStdioErrors, Logger, stdoutIsRegularFile, timestamp } from './lib/log.mjs';
import { stringify } from './lib/xjson.mjs';
import { XmrigApi } from './lib/xmrig-api.mjs';
import {
  buildConfig,
  configJson,
  cpuProfiles,
  generatedProfiles,
  isBench,
  isValid,
  noConfigLines,
  poolHostPort,
  readConfigFile,
  resolveCpu,
} from './lib/xmrig-config.mjs';
import { parseCli } from './lib/xmrig-cli.mjs';
import { XmrigMiner } from './lib/xmrig-miner.mjs';

/** @typedef {import('./lib/xmrig-config.mjs').Json} Json */

const VERSION_TEXT = fs.readFileSync(new URL('./data/xmrig/version.txt', import.meta.url), 'utf8');
const ARGV0 = process.argv[1] ?? 'xmrig';

const USAGE = `Usage: xmrig [OPTIONS]   (fake XMRig 6.26.0 for tests)

  -c, --config=FILE             load a JSON-format configuration file
  -o, --url=URL                 URL of mining server
  -u, --user=USERNAME           username for mining server
  -p, --pass=PASSWORD           password for mining server
  -t, --threads=N               number of CPU threads
      --bench=SIZE              run benchmark, SIZE 250K, 500K, 1M..10M
      --http-host=HOST          bind host for HTTP API (default: 127.0.0.1)
      --http-port=N             bind port for HTTP API
      --http-access-token=T     access token for HTTP API
      --http-no-restricted      enable full remote access via HTTP API (only if access token set)
      --no-color                disable colorized output
      --dry-run                 test configuration and exit
  -V, --version                 output version information and exit
      --multi-port-base=P       (fake only) serve --multi-count APIs on ports P, P+1, ...
      --multi-count=N           (fake only) number of independent fake miners/APIs
`;

main().catch((err) => {
  process.stderr.write(`fake-xmrig: ${err?.stack ?? err}\n`);
  process.exit(70);
});

async function main() {
  ignoreStdioErrors();
  const faults = readFaults();
  const cli = parseCli(process.argv.slice(2), ARGV0);
  for (const w of cli.warnings) process.stderr.write(`${w}\n`);

  if (cli.version) {
    process.stdout.write(VERSION_TEXT);
    return flushAndExit(0);
  }
  if (cli.help) {
    process.stdout.write(USAGE);
    return flushAndExit(0);
  }

  const toStdout = !stdoutIsRegularFile() || envBool('FAKE_STDOUT_TO_FILE');
  const plain = new Logger({ colors: false, stdout: toStdout });
  const exeDir = path.dirname(ARGV0);
  const configPath = cli.configPath ? path.resolve(cli.configPath) : null;

  if (faults.configError) {
    for (const l of noConfigLines(configPath, exeDir)) plain.line(l);
    return flushAndExit(2);
  }

  // ------------------------------------------------------------------ configuration
  /** @type {Json | null} */
  let fileJson = null;
  /** @type {string | null} */
  let fileError = null;
  if (configPath) {
    const r = readConfigFile(configPath);
    if (r.ok) fileJson = r.json;
    else fileError = r.message;
  }
  let cfg = buildConfig(fileJson, cli);
  if (!isValid(cfg)) {
    for (const l of noConfigLines(fileJson ? null : configPath, exeDir, fileError)) plain.line(l);
    return flushAndExit(2);
  }
  if (fileError) plain.line(fileError);
  const explicitPrintTime = (/** @type {Json | null} */ json) =>
    cli.explicit.has('print-time') || (json !== null && 'print-time' in json);

  const multi = cli.multiBase !== null;
  const count = multi ? cli.multiCount : 1;
  const log = new Logger({
    colors: cfg.colors !== false,
    stdout: toStdout,
    logFile: cfg['log-file'] ?? null,
  });
  const cores = Math.max(1, Math.floor(envNum('FAKE_XMRIG_CORES', os.availableParallelism())));

  /** @type {{ miner: XmrigMiner, api: XmrigApi }[]} */
  const instances = [];
  /** @type {Burner | null} */
  let burner = null;
  // handlers first, so a SIGTERM right after start-up is already handled the XMRig way
  let exiting = false;
  onTerminationSignals((sig) => {
    log.tag('signal', log.paint(ANSI.yellowDim, `${sig} received, exiting`));
    if (faults.ignoreSigterm || exiting) return;
    exiting = true;
    if (configPath) fs.unwatchFile(configPath);
    for (const { miner, api } of instances) {
      miner.shutdown();
      api.close();
    }
    burner?.stop();
    flushAndExit(0);
  });

  printBanner(log, cfg, cores);
  if (cli.dryRun) {
    log.tag('config', 'OK');
    return flushAndExit(0);
  }

  // ------------------------------------------------------------------ miners and APIs
  const rawBurn = envRaw('FAKE_BURN');
  const burnDuty =
    rawBurn === undefined ? 0 : /^(true|yes|on)$/i.test(rawBurn) ? 1 : Math.min(1, Number(rawBurn) || 0);
  if (burnDuty > 0) burner = new Burner(envNum('FAKE_BURN_MAX_MS', 60000));
  const settings = {
    cores,
    rate: envNum('FAKE_XMRIG_RATE', 500),
    warmupMs: envNum(['FAKE_XMRIG_WARMUP_MS', 'FAKE_WARMUP_MS'], 1500),
    windowScale: envNum('FAKE_XMRIG_WINDOW_SCALE', 1),
    printMs: envOptNum('FAKE_XMRIG_PRINT_MS'),
    shareMs: envNum('FAKE_SHARE_MS', 4000),
    rejectRate: envNum('FAKE_REJECT_RATE', 0),
    diff: envNum('FAKE_XMRIG_DIFF', 120001),
    zeroRate: faults.zeroRate,
    seed: faults.seed,
    burnDuty,
  };

  /** Per-instance config: in many-ports mode each instance gets its own port. @param {Json} c @param {number} i */
  const instanceConfig = (c, i) => {
    if (!multi) return c;
    const copy = structuredClone(c);
    copy.http.enabled = true;
    copy.http.port = /** @type {number} */ (cli.multiBase) + i;
    return copy;
  };

  for (let i = 0; i < count; i++) {
    const c = instanceConfig(cfg, i);
    const miner = new XmrigMiner({
      log: i === 0 ? log : log.silent(),
      cfg: c,
      settings,
      explicitPrintTime: explicitPrintTime(fileJson),
      index: i,
      burner: i === 0 ? burner : null,
    });
    const inst = { miner, api: /** @type {XmrigApi} */ (/** @type {unknown} */ (null)) };
    inst.api = new XmrigApi({
      miner,
      faults,
      log: miner.log,
      onPutConfig: (json) => onPut(inst, json),
    });
    instances.push(inst);
  }

  /** Start (or restart after a reload) the HTTP API of an instance, printing the banner line. */
  const startApi = async (/** @type {{ miner: XmrigMiner, api: XmrigApi }} */ inst) => {
    const h = inst.miner.cfg.http;
    if (!h.enabled) return;
    const host = String(h.host ?? '127.0.0.1');
    const r = await inst.api.listen(host, Number(h.port) || 0);
    const label = `${log.paint(ANSI.green, ' * ')}${log.paint(ANSI.white, 'HTTP API'.padEnd(13))}`;
    if (r.ok) {
      inst.miner.apiPort = r.port;
      log.print(`${label}${log.paint(ANSI.cyan, `${host}:${r.port}`)} `);
    } else {
      log.print(`${label}${log.paint(ANSI.cyan, `${host}:${h.port}`)} ${log.paint(ANSI.red, r.error)}`);
      log.tag('net', log.paint(ANSI.red, 'HTTP API server failed to start.'));
    }
  };
  for (const inst of instances) await startApi(inst);

  // autosave: with no thread profiles in the file, XMRig writes generated ones (hint edits then do nothing)
  if (
    configPath &&
    fileJson &&
    cfg.autosave !== false &&
    cpuProfiles(cfg.cpu).length === 0 &&
    cfg.cpu.enabled !== false
  ) {
    const plan = resolveCpu(cfg, cores, instances[0].miner.algo);
    cfg = { ...cfg, cpu: { ...cfg.cpu, ...generatedProfiles(plan.count) } };
    saveConfig(log, configPath, cfg);
    instances.forEach((inst, i) =>
      inst.miner.applyConfig(instanceConfig(cfg, i), explicitPrintTime(fileJson)),
    );
  }

  for (const { miner } of instances) miner.start();

  // ------------------------------------------------------------------ live reloads
  let watching = false;
  /** @param {Json} newCfg @param {boolean} explicit @param {typeof instances} targets */
  const applyAll = async (newCfg, explicit, targets) => {
    for (const inst of targets) {
      const i = instances.indexOf(inst);
      const next = instanceConfig(newCfg, i);
      const prev = inst.miner.cfg.http;
      const h = next.http;
      const rebind = prev.enabled !== h.enabled || prev.host !== h.host || prev.port !== h.port;
      inst.miner.applyConfig(next, explicit);
      if (rebind) {
        inst.api.close();
        await startApi(inst);
      }
    }
  };

  if (configPath && fileJson && cfg.watch !== false) {
    watching = true;
    /** @type {NodeJS.Timeout | undefined} */
    let debounce;
    fs.watchFile(configPath, { interval: 200 }, (cur, prev) => {
      if (cur.mtimeMs === prev.mtimeMs && cur.size === prev.size) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        log.tag('config', log.paint(ANSI.yellow, `"${configPath}" was changed, reloading configuration`));
        const r = readConfigFile(configPath);
        if (!r.ok) {
          log.line(r.message);
          log.tag('config', log.paint(ANSI.red, 'reloading failed'));
          return;
        }
        cfg = buildConfig(r.json, cli);
        void applyAll(cfg, explicitPrintTime(r.json), instances);
      }, 100);
    });
  }

  /** PUT /1/config: a fresh config from the body; saved to the file (if any), which the watcher reloads. */
  function onPut(/** @type {{ miner: XmrigMiner, api: XmrigApi }} */ inst, /** @type {Json} */ json) {
    const newCfg = buildConfig(json, cli);
    if (!multi && configPath) {
      saveConfig(log, configPath, newCfg);
      if (watching && newCfg.watch !== false) return;
    }
    if (!multi) cfg = newCfg;
    void applyAll(newCfg, explicitPrintTime(json), [inst]);
  }

  // ------------------------------------------------------------------ console, signals, faults
  readKeys((key) => instances.forEach(({ miner }) => miner.command(key)));

  scheduleCrash(faults, () => log.tag('cpu', log.paint(ANSI.red, 'thread #0 crashed: illegal instruction')));
  if (faults.spawnChild) spawnGrandchild(faults.childMaxMs, faults.childDetached);
  if (faults.flood && toStdout) {
    void flood(faults.floodLines, (i) => {
      const rate = (500 + (i % 37)).toFixed(1);
      return `[${timestamp()}]  miner    speed 10s/60s/15m ${rate} ${rate} n/a H/s max 536.0 H/s (flood ${i + 1}/${faults.floodLines})`;
    });
  }
}

/**
 * Write the config file like XMRig's autosave / PUT /1/config and log it.
 * @param {Logger} log
 * @param {string} file
 * @param {Json} cfg
 */
function saveConfig(log, file, cfg) {
  try {
    fs.writeFileSync(file, stringify(configJson(cfg)));
    log.tag('config', `configuration saved to: "${file}"`);
  } catch {
    log.tag('config', log.paint(ANSI.red, `unable to save configuration to: "${file}"`));
  }
}

/**
 * The " * LABEL        value" block XMRig prints at start.
 * @param {Logger} log
 * @param {Json} cfg
 * @param {number} cores
 */
function printBanner(log, cfg, cores) {
  const item = (/** @type {string} */ label, /** @type {string} */ value) =>
    log.print(`${log.paint(ANSI.green, ' * ')}${log.paint(ANSI.white, label.padEnd(13))}${value}`);
  const brand = (os.cpus()[0]?.model ?? '').replace(/\((R|TM)\)|\bCPU\b|\bProcessor\b|@.*$/gi, '').trim();
  const total = os.totalmem() / 1024 ** 3;
  const used = total - os.freemem() / 1024 ** 3;
  const bench = isBench(cfg);

  item('ABOUT', `${log.paint(ANSI.cyan, 'XMRig/6.26.0')} gcc/12.2.0 (built for Linux x86-64, 64 bit)`);
  item('LIBS', 'libuv/1.44.2 OpenSSL/3.0.22 hwloc/2.9.0');
  item('HUGE PAGES', log.paint(ANSI.red, 'disabled'));
  item('1GB PAGES', log.paint(ANSI.yellow, 'disabled'));
  item(
    'CPU',
    `${brand || 'AMD EPYC'} (1) ${log.paint(ANSI.green, '64-bit')} ${log.paint(ANSI.green, 'AES')} VM`,
  );
  log.print(`                L2:2.0 MB L3:32.0 MB ${cores}C/${cores}T NUMA:1`);
  item(
    'MEMORY',
    `${log.paint(ANSI.cyan, `${used.toFixed(1)}/${total.toFixed(1)}`)} GB (${Math.round((100 * used) / total)}%)`,
  );
  item('DONATE', log.paint(ANSI.red, `${bench ? 0 : Math.max(1, Number(cfg['donate-level'] ?? 1))}%`));
  item('ASSEMBLY', `auto:${log.paint(ANSI.green, 'ryzen')}`);
  if (bench) item('POOL #1', `${log.paint(ANSI.cyan, 'benchmark')} algo auto`);
  else {
    cfg.pools
      .filter((/** @type {Json} */ p) => p.url && p.enabled !== false)
      .forEach((/** @type {Json} */ p, /** @type {number} */ i) => {
        const what = p.coin ? `coin ${p.coin}` : `algo ${p.algo ?? 'auto'}`;
        item(`POOL #${i + 1}`, `${log.paint(ANSI.cyan, poolHostPort(String(p.url)))} ${what}`);
      });
  }
  item('COMMANDS', "'h' hashrate, 'p' pause, 'r' resume, 's' results, 'c' connection");
}
