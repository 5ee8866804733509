#!/usr/bin/env node
// Stage 2 of a two-stage mutation run (test/mutation/README.md): reruns against the full test set only the
// mutants a stage-1 report (stryker.fast.config.mjs, in-process tests) left alive or uncovered.
// `npm run mutate:rerun -- STAGE1.json[=PREFIX,...] [stryker args]` (PREFIX: the files stage 1 mutated; its
// report also carries older results of other files); then score both as `STAGE1.json+STAGE2.json=PREFIX,...`.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeReports, rerunRanges } from './mutation-summary.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [stage1, ...strykerArgs] = process.argv.slice(2);
if (!stage1) {
  console.error('usage: npm run mutate:rerun -- STAGE1_REPORT.json[=PREFIX,...] [stryker args]');
  process.exit(2);
}
const at = stage1.includes('=') ? stage1.indexOf('=') : stage1.length;
const report = await mergeReports([resolve(stage1.slice(0, at)) + stage1.slice(at)]);
const ranges = rerunRanges({ ...report, projectRoot: ROOT });
if (ranges.length === 0) {
  console.log('mutate:rerun: stage 1 left no mutant alive or uncovered; nothing to rerun');
} else {
  console.log(
    `mutate:rerun: ${ranges.length} places left alive or uncovered by stage 1, against the full test set unless a config is given`,
  );
  const child = spawn(
    process.execPath,
    [resolve(ROOT, 'scripts/mutate.mjs'), '--mutate', ranges.join(','), ...strykerArgs],
    { cwd: ROOT, stdio: 'inherit' },
  );
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}
