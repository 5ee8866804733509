// The mutation summary: Stryker's score per folder and per target area, errors and ignored mutants left
// out of the score, survivors listed with their place, and the JSON written where the benchmarks write.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  mergeReports,
  readReport,
  refine,
  rerunRanges,
  summarize,
  writeSummary,
  type StrykerReport,
} from '../../scripts/mutation-summary.mjs';

const at = (line: number) => ({ start: { line, column: 3 } });
const mutant = (status: string, line = 1, mutatorName = 'ConditionalExpression') => ({
  status,
  mutatorName,
  replacement: 'true',
  location: at(line),
});

const report: StrykerReport = {
  projectRoot: '/repo',
  files: {
    'src/main/core/manager.ts': {
      mutants: [mutant('Killed'), mutant('Killed'), mutant('Timeout'), mutant('Survived', 42)],
    },
    '/repo/src/main/core/stats/history.ts': {
      mutants: [mutant('Killed'), mutant('NoCoverage', 7), mutant('CompileError'), mutant('Ignored')],
    },
    'src/main/electron/ipc/trusted-sender.ts': { mutants: [mutant('Killed'), mutant('RuntimeError')] },
  },
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe('mutation summary', () => {
  it('scores (killed + timeout) / (killed + timeout + survived + no coverage) per folder', () => {
    const s = summarize(report);
    expect(s.folders['src/main/core']).toMatchObject({ score: 75, killed: 2, timeout: 1, survived: 1 });
    // errors and ignored mutants are counted but do not move the score
    expect(s.folders['src/main/core/stats']).toMatchObject({
      score: 50,
      noCoverage: 1,
      compileError: 1,
      ignored: 1,
      total: 4,
    });
  });

  it('rolls sub-folders into the target areas and says whether each target is met', () => {
    const s = summarize(report);
    expect(s.areas['src/main/core']).toMatchObject({ score: 66.67, target: 85, met: false, total: 8 });
    expect(s.areas['src/main/electron/ipc/trusted-sender.ts']).toMatchObject({ score: 100, met: true });
    expect(s.areas['src/main/headless/auth.ts']).toMatchObject({ score: null, met: null, total: 0 });
  });

  it('lists survivors and uncovered mutants with file, line and mutator, in file order', () => {
    expect(summarize(report).survivors).toEqual([
      {
        at: 'src/main/core/manager.ts:42:3',
        status: 'Survived',
        mutator: 'ConditionalExpression',
        replacement: 'true',
      },
      {
        at: 'src/main/core/stats/history.ts:7:3',
        status: 'NoCoverage',
        mutator: 'ConditionalExpression',
        replacement: 'true',
      },
    ]);
  });

  it('writes the summary JSON and prints the table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hashdeck-mutation-'));
    dirs.push(dir);
    const input = join(dir, 'mutation.json');
    const out = join(dir, 'results', 'mutation.json');
    writeFileSync(input, JSON.stringify(report));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await writeSummary({ report: input, out, durationMs: 1234, args: ['--force'] });
    const written = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ benchmark: 'mutation', durationMs: 1234, args: ['--force'] });
    expect(written.areas).toHaveProperty(['src/main/core', 'score'], 66.67);
    expect(log.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/src\/main\/core\s+66\.67 \(< 85!\)/);
  });

  it('leaves out and lists files measured on a source that changed or is gone (the incremental file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hashdeck-mutation-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'src/main/core'), { recursive: true });
    writeFileSync(join(dir, 'src/main/core/same.ts'), 'export const a = 1;\n');
    writeFileSync(join(dir, 'src/main/core/edited.ts'), 'export const b = 3;\n');
    const mixed: StrykerReport = {
      files: {
        'src/main/core/same.ts': { source: 'export const a = 1;\n', mutants: [mutant('Killed')] },
        'src/main/core/edited.ts': { source: 'export const b = 2;\n', mutants: [mutant('Survived')] },
        'src/main/core/gone.ts': { source: 'x', mutants: [mutant('Survived')] },
      },
    };
    const input = join(dir, 'incremental.json');
    writeFileSync(input, JSON.stringify(mixed));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const result = await writeSummary({ report: input, out: join(dir, 'out.json'), root: dir });
    expect(result.stale).toEqual(['src/main/core/edited.ts', 'src/main/core/gone.ts']);
    expect(result.areas['src/main/core']).toMatchObject({ score: 100, killed: 1, survived: 0 });
    expect(log.mock.calls.map((c) => String(c[0])).join('\n')).toContain('2 files left out');
  });

  it('merges reports of batches run apart: a later report wins for a file, paths made relative', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hashdeck-mutation-'));
    dirs.push(dir);
    const first: StrykerReport = {
      projectRoot: '/one',
      files: {
        '/one/src/main/core/a.ts': { mutants: [mutant('Survived')] },
        'src/main/core/b.ts': { mutants: [mutant('Killed')] },
      },
    };
    const second: StrykerReport = {
      projectRoot: '/two',
      files: { 'src/main/core/a.ts': { mutants: [mutant('Killed'), mutant('Killed')] } },
    };
    writeFileSync(join(dir, '1.json'), JSON.stringify(first));
    writeFileSync(join(dir, '2.json'), JSON.stringify(second));
    const merged = await mergeReports([join(dir, '1.json'), join(dir, '2.json')]);
    expect(Object.keys(merged.files).sort()).toEqual(['src/main/core/a.ts', 'src/main/core/b.ts']);
    expect(summarize(merged).files['src/main/core/a.ts']).toMatchObject({ killed: 2, survived: 0 });
    // only what each run mutated: a carried-forward entry of another file never counts
    const only = await mergeReports([`${join(dir, '1.json')}=src/main/core/b.ts`]);
    expect(Object.keys(only.files)).toEqual(['src/main/core/b.ts']);
    const both = await mergeReports([`${join(dir, '1.json')}=src/main/core/b.ts`, join(dir, '2.json')]);
    expect(Object.keys(both.files).sort()).toEqual(['src/main/core/a.ts', 'src/main/core/b.ts']);
  });

  it('judges a target only when the whole area was measured, and says how much of it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hashdeck-mutation-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'src/main/core/sub'), { recursive: true });
    for (const f of ['a.ts', 'sub/b.ts', 'a.test.ts']) writeFileSync(join(dir, 'src/main/core', f), 'x');
    const one: StrykerReport = {
      files: { 'src/main/core/a.ts': { source: 'x', mutants: [mutant('Killed')] } },
    };
    writeFileSync(join(dir, 'one.json'), JSON.stringify(one));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const partial = await writeSummary({
      report: join(dir, 'one.json'),
      out: join(dir, 'o.json'),
      root: dir,
    });
    expect(partial.areas['src/main/core']).toMatchObject({
      score: 100,
      met: null,
      filesMeasured: 1,
      filesInArea: 2,
    });
    expect(String(log.mock.calls[0]![0])).toContain('100.00 (1/2 files; target 85 not judged)');

    const both: StrykerReport = {
      files: { ...one.files, 'src/main/core/sub/b.ts': { source: 'x', mutants: [mutant('Survived')] } },
    };
    writeFileSync(join(dir, 'both.json'), JSON.stringify(both));
    const whole = await writeSummary({ report: join(dir, 'both.json'), out: join(dir, 'o.json'), root: dir });
    expect(whole.areas['src/main/core']).toMatchObject({
      score: 50,
      met: false,
      filesMeasured: 2,
      filesInArea: 2,
    });
  });

  it('stage 2 reruns exactly what stage 1 left alive or uncovered, as 0-based column ranges', () => {
    const placed = (status: string, line: number, col: number, endCol: number, replacement = 'true') => ({
      status,
      mutatorName: 'ConditionalExpression',
      replacement,
      location: { start: { line, column: col }, end: { line, column: endCol } },
    });
    const stage1: StrykerReport = {
      projectRoot: '/repo',
      files: {
        '/repo/src/main/core/a.ts': {
          mutants: [
            placed('Killed', 1, 5, 9),
            placed('Survived', 2, 7, 12),
            placed('Survived', 2, 7, 12, 'false'), // same place twice: one range
            placed('NoCoverage', 3, 1, 4),
            placed('Timeout', 4, 1, 4),
            placed('Ignored', 5, 1, 4),
          ],
        },
      },
    };
    expect(rerunRanges(stage1)).toEqual(['src/main/core/a.ts:2:6-2:11', 'src/main/core/a.ts:3:0-3:3']);

    const stage2: StrykerReport = {
      projectRoot: '/elsewhere',
      files: {
        'src/main/core/a.ts': {
          mutants: [
            placed('Killed', 2, 7, 12), // the full test set kills one of the two at that place
            placed('Survived', 2, 7, 12, 'false'),
            placed('Killed', 1, 5, 9),
            // stage 2 reports no result for line 3: it keeps its stage-1 status
          ],
        },
        'src/main/core/other.ts': { mutants: [placed('Killed', 1, 1, 2)] }, // not in stage 1: ignored
      },
    };
    const refined = refine(stage1, stage2);
    expect(Object.keys(refined.files)).toEqual(['/repo/src/main/core/a.ts']);
    expect(refined.files['/repo/src/main/core/a.ts']!.mutants.map((m) => m.status)).toEqual([
      'Killed',
      'Killed',
      'Survived',
      'NoCoverage',
      'Timeout',
      'Ignored',
    ]);
    // A killed stage-1 result is final even where stage 2 says otherwise (it only reran the others).
    const contrary = refine(stage1, {
      files: { 'src/main/core/a.ts': { mutants: [placed('Survived', 1, 5, 9)] } },
    });
    expect(contrary.files['/repo/src/main/core/a.ts']!.mutants[0]!.status).toBe('Killed');
  });

  it('scores a two-stage run given as STAGE1+STAGE2=PREFIX', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hashdeck-mutsum-'));
    dirs.push(dir);
    const at1 = { start: { line: 1, column: 1 }, end: { line: 1, column: 5 } };
    const one = (status: string) => ({
      files: { 'src/main/core/a.ts': { mutants: [{ status, mutatorName: 'M', location: at1 }] } },
    });
    writeFileSync(join(dir, 's1.json'), JSON.stringify(one('Survived')));
    writeFileSync(join(dir, 's2.json'), JSON.stringify(one('Killed')));
    const merged = await mergeReports([`${join(dir, 's1.json')}+${join(dir, 's2.json')}=src/main/core/`]);
    expect(merged.files['src/main/core/a.ts']!.mutants[0]!.status).toBe('Killed');
  });

  it('reads the progress file of a run stopped early as the report of what it got to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hashdeck-mutsum-'));
    dirs.push(dir);
    const line = (fileName: string, status: string) =>
      JSON.stringify({
        fileName,
        status,
        mutatorName: 'M',
        replacement: 'x',
        location: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
      });
    const path = join(dir, 'progress.jsonl');
    writeFileSync(
      path,
      `${line('src/a.ts', 'Killed')}\n${line('src/a.ts', 'Survived')}\n${line('src/b.ts', 'Timeout')}\n`,
    );
    const partial = await readReport(path);
    expect(Object.keys(partial.files)).toEqual(['src/a.ts', 'src/b.ts']);
    expect(partial.files['src/a.ts']!.mutants.map((m) => m.status)).toEqual(['Killed', 'Survived']);
    expect(partial.files['src/b.ts']!.mutants[0]).toMatchObject({ status: 'Timeout', mutatorName: 'M' });
  });
});
