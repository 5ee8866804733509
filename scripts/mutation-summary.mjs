#!/usr/bin/env node
// Turns Stryker's JSON report (reports/mutation/mutation.json) into a per-folder score summary, written as
// bench/results/mutation.json and printed; exported so the mutate script and tests can call it directly.
// Results measured on a source that is not the one on disk any more are left out and listed as stale. A
// report also lists files outside its run's --mutate, with results Stryker carried forward and today's
// source stamped on them: merge batches as REPORT=PREFIX,... so only the files each run mutated count.
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_REPORT = resolve(ROOT, 'reports/mutation/mutation.json');
export const DEFAULT_OUT = resolve(ROOT, 'bench/results/mutation.json');

/** Areas the issue sets targets for; a file counts in every area whose prefix it starts with. */
export const AREAS = {
  'src/main/core': 85,
  'src/main/electron/ipc': null,
  'src/main/electron/ipc/trusted-sender.ts': 100,
  'src/main/headless/auth.ts': 100,
  'src/shared/schemas.ts': null,
};

const STATUS_KEYS = {
  Killed: 'killed',
  Survived: 'survived',
  NoCoverage: 'noCoverage',
  Timeout: 'timeout',
  CompileError: 'compileError',
  RuntimeError: 'runtimeError',
  Ignored: 'ignored',
  Pending: 'pending',
};

function emptyCounts() {
  return {
    killed: 0,
    survived: 0,
    noCoverage: 0,
    timeout: 0,
    compileError: 0,
    runtimeError: 0,
    ignored: 0,
    pending: 0,
  };
}

/** A report's file name (absolute or relative, any separator) as a forward-slash path in the project. */
function projectPath(name, root) {
  return (name.startsWith('/') || /^[A-Za-z]:/.test(name) ? relative(root, name) : name).split(sep).join('/');
}

/** Stryker's mutation score: detected / (detected + undetected); errors and ignored mutants do not count. */
export function score(c) {
  const detected = c.killed + c.timeout;
  const valid = detected + c.survived + c.noCoverage;
  return valid === 0 ? null : Math.round((detected / valid) * 10000) / 100;
}

function withScore(counts) {
  return { score: score(counts), ...counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
}

/**
 * @param {{ files: Record<string, { mutants: { status: string, mutatorName: string, replacement?: string,
 *   location: { start: { line: number, column: number } } }[] }>, projectRoot?: string }} report
 */
export function summarize(report, root = report.projectRoot ?? ROOT) {
  const folders = new Map();
  const files = new Map();
  const areas = new Map(Object.keys(AREAS).map((a) => [a, emptyCounts()]));
  const survivors = [];
  for (const [name, file] of Object.entries(report.files)) {
    const path = projectPath(name, root);
    const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
    if (!folders.has(folder)) folders.set(folder, emptyCounts());
    if (!files.has(path)) files.set(path, emptyCounts());
    for (const m of file.mutants) {
      const key = STATUS_KEYS[m.status] ?? 'pending';
      folders.get(folder)[key]++;
      files.get(path)[key]++;
      for (const [area, counts] of areas) if (path === area || path.startsWith(`${area}/`)) counts[key]++;
      if (m.status === 'Survived' || m.status === 'NoCoverage') {
        const at = `${path}:${m.location.start.line}:${m.location.start.column}`;
        survivors.push({ at, status: m.status, mutator: m.mutatorName, replacement: m.replacement ?? null });
      }
    }
  }
  const sorted = (map) =>
    Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, withScore(v)]));
  const areaResults = Object.fromEntries(
    [...areas].map(([area, counts]) => {
      const s = score(counts);
      const target = AREAS[area];
      return [
        area,
        { ...withScore(counts), target, met: target === null || s === null ? null : s >= target },
      ];
    }),
  );
  survivors.sort((a, b) => a.at.localeCompare(b.at, undefined, { numeric: true }));
  return { areas: areaResults, folders: sorted(folders), files: sorted(files), survivors };
}

function pad(text, width) {
  return String(text).padEnd(width);
}

export function formatTable(summary) {
  const rows = [['', 'score', 'killed', 'survived', 'no-cov', 'timeout', 'errors']];
  const add = (name, c, suffix = '') =>
    rows.push([
      name,
      c.score === null ? 'n/a' : `${c.score.toFixed(2)}${suffix}`,
      c.killed,
      c.survived,
      c.noCoverage,
      c.timeout,
      c.compileError + c.runtimeError,
    ]);
  for (const [name, c] of Object.entries(summary.areas)) {
    if (c.total === 0) continue;
    const partial = c.filesInArea != null && c.filesMeasured < c.filesInArea;
    const files = partial ? ` (${c.filesMeasured}/${c.filesInArea} files` : '';
    if (partial) add(name, c, `${files}${c.target === null ? '' : `; target ${c.target} not judged`})`);
    else add(name, c, c.target === null ? '' : c.met ? ` (>= ${c.target})` : ` (< ${c.target}!)`);
  }
  rows.push(['-- folders --', '', '', '', '', '', '']);
  for (const [name, c] of Object.entries(summary.folders)) add(name, c);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)) + 2);
  return rows
    .map((r) =>
      r
        .map((cell, i) => pad(cell, widths[i]))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Splits a report into the files whose measured source is still the one on disk and the stale rest (a
 * file changed or gone since it was measured). Files without a recorded source are kept.
 */
export async function currentOnly(report, root = report.projectRoot ?? ROOT) {
  const files = {};
  const stale = [];
  for (const [name, file] of Object.entries(report.files)) {
    if (typeof file.source !== 'string') {
      files[name] = file;
      continue;
    }
    const onDisk = await readFile(resolve(root, name), 'utf8').catch(() => null);
    if (onDisk === file.source) files[name] = file;
    else stale.push(name.split(sep).join('/'));
  }
  return { report: { ...report, files }, stale: stale.sort() };
}

/** Source files Stryker would mutate under an area (a folder or one file); null when it is not on disk. */
async function sourcesIn(root, area) {
  const at = resolve(root, area);
  const info = await stat(at).catch(() => null);
  if (!info) return null;
  if (info.isFile()) return 1;
  const names = await readdir(at, { recursive: true });
  return names.filter((n) => /\.tsx?$/.test(n) && !/\.(test|d)\.tsx?$/.test(n)).length;
}

/**
 * Adds how many of an area's files were measured; a target is judged only on the whole area (a score over
 * a few files says nothing about the rest).
 */
async function withFileCounts(summary, root) {
  for (const [area, result] of Object.entries(summary.areas)) {
    const filesInArea = await sourcesIn(root, area);
    const filesMeasured = Object.keys(summary.files).filter(
      (f) => f === area || f.startsWith(`${area}/`),
    ).length;
    Object.assign(result, { filesMeasured, filesInArea });
    if (filesInArea !== null && filesMeasured < filesInArea) result.met = null;
  }
  return summary;
}

/** Reads the report, writes the summary JSON, prints the table; returns the summary. */
export async function writeSummary({
  report = DEFAULT_REPORT,
  out = DEFAULT_OUT,
  durationMs = null,
  args = [],
  root = undefined,
} = {}) {
  const json = JSON.parse(await readFile(report, 'utf8'));
  const { report: current, stale } = await currentOnly(json, root ?? json.projectRoot ?? ROOT);
  const base = root ?? current.projectRoot ?? ROOT;
  const summary = await withFileCounts(summarize(current, base), base);
  const result = {
    benchmark: 'mutation',
    at: new Date().toISOString(),
    tool: 'StrykerJS (vitest runner, perTest coverage, incremental)',
    durationMs,
    args,
    ...summary,
    stale,
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(formatTable(summary));
  console.log(
    `\n${summary.survivors.length} surviving or uncovered mutants; details in ${relative(ROOT, out)}`,
  );
  if (stale.length > 0) {
    console.log(
      `${stale.length} files left out: measured on a source that changed since (${stale.join(', ')})`,
    );
  }
  if (durationMs !== null) console.log(`Stryker run took ${(durationMs / 60000).toFixed(1)} min`);
  return result;
}

/** Statuses stage 2 of a two-stage run reruns: what the in-process tests left alive or never reached. */
const RERUN = new Set(['Survived', 'NoCoverage']);

/** One mutant's identity across runs (each run numbers its mutants anew): place, mutator, replacement. */
function mutantKey(m) {
  const { start, end = start } = m.location;
  return `${start.line}:${start.column}-${end.line}:${end.column} ${m.mutatorName} ${m.replacement ?? ''}`;
}

/**
 * Stryker `--mutate` ranges (`file:line:column-line:column`) for the mutants a stage-1 report left alive or
 * uncovered. Report columns count from 1, Stryker's range columns (Babel's) from 0. A range also takes in
 * the mutants nested inside it (a removed block holds its statements): they rerun too, which costs time
 * but changes no result, since a fuller test set kills at least what a smaller one did.
 */
export function rerunRanges(report, root = report.projectRoot ?? ROOT) {
  const ranges = new Set();
  for (const [name, file] of Object.entries(report.files)) {
    for (const m of file.mutants) {
      if (!RERUN.has(m.status)) continue;
      const { start, end = start } = m.location;
      ranges.add(
        `${projectPath(name, root)}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`,
      );
    }
  }
  return [...ranges];
}

/**
 * A stage-1 report with each mutant it left alive or uncovered given its stage-2 (full test set) result.
 * A mutant stage 2 did not report keeps its stage-1 status; a stage-2 file that stage 1 did not mutate is
 * ignored (it holds only results carried forward from older runs).
 */
export function refine(stage1, stage2) {
  const root1 = stage1.projectRoot ?? ROOT;
  // A progress file names no root: its run was the stage-1 run's project (the same worktree).
  const root2 = stage2.projectRoot ?? root1;
  const second = new Map();
  for (const [name, file] of Object.entries(stage2.files)) {
    second.set(projectPath(name, root2), new Map(file.mutants.map((m) => [mutantKey(m), m])));
  }
  const files = {};
  for (const [name, file] of Object.entries(stage1.files)) {
    const rerun = second.get(projectPath(name, root1));
    const mutants = file.mutants.map((m) => {
      const again = RERUN.has(m.status) ? rerun?.get(mutantKey(m)) : undefined;
      return again ? { ...m, status: again.status } : m;
    });
    files[name] = { ...file, mutants };
  }
  return { ...stage1, files };
}

/**
 * A report file, or the progress file of a run (test/mutation/progress-reporter.mjs: one result per line,
 * written as each mutant is tested), read as a report of the mutants that run got to.
 */
export async function readReport(path) {
  const text = await readFile(path, 'utf8');
  if (!path.endsWith('.jsonl')) return JSON.parse(text);
  const files = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const { fileName, ...mutant } = JSON.parse(line);
    (files[fileName] ??= { mutants: [] }).mutants.push(mutant);
  }
  return { files };
}

/**
 * Several reports as one (batches run apart, e.g. in other worktrees): a later report wins per file.
 * `path=prefix,prefix` keeps only that report's files under those prefixes (the files its run mutated);
 * `stage1.json+stage2.json` is a two-stage run (see refine).
 */
export async function mergeReports(specs) {
  const merged = { files: {} };
  for (const spec of specs) {
    const at = spec.indexOf('=');
    const path = at < 0 ? spec : spec.slice(0, at);
    const prefixes =
      at < 0
        ? null
        : spec
            .slice(at + 1)
            .split(',')
            .filter(Boolean);
    // STAGE1+STAGE2: a two-stage run, stage 2's results refining stage 1's.
    const [first, ...rest] = await Promise.all(path.split('+').map(async (p) => readReport(p)));
    const json = rest.reduce(refine, first);
    merged.projectRoot ??= json.projectRoot;
    for (const [name, file] of Object.entries(json.files)) {
      const key = projectPath(name, json.projectRoot ?? ROOT);
      if (prefixes && !prefixes.some((p) => key.startsWith(p))) continue;
      merged.files[key] = file;
    }
  }
  return merged;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // mutation-summary [REPORT[=PREFIX,...]...] [--out FILE]: several reports are merged (later ones win).
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? resolve(args[outAt + 1] ?? '') : undefined;
  const reports = args
    .filter((_, i) => outAt < 0 || (i !== outAt && i !== outAt + 1))
    .map((a) => {
      const at = a.includes('=') ? a.indexOf('=') : a.length;
      const paths = a
        .slice(0, at)
        .split('+')
        .map((p) => resolve(p));
      return paths.join('+') + a.slice(at);
    });
  const run = async () => {
    const plain = reports.length === 0 || (reports.length === 1 && !/[=+]/.test(reports[0]));
    if (plain) return writeSummary({ report: reports[0], out });
    const merged = resolve(ROOT, 'reports/mutation/merged.json');
    await mkdir(dirname(merged), { recursive: true });
    const report = await mergeReports(reports);
    await writeFile(merged, JSON.stringify({ ...report, projectRoot: ROOT }));
    return writeSummary({ report: merged, out, args: reports.map((r) => relative(ROOT, r)) });
  };
  run().catch((err) => {
    console.error(`mutation-summary: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
