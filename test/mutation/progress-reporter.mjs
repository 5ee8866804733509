// A Stryker reporter that appends each mutant's result to reports/mutation/progress.jsonl the moment it is
// known. Stryker writes its report only when a run ends; on this 2-core machine a run over a whole folder
// can outlast a working session, and a run stopped early must still leave what it measured. The summary
// reads the file as a (partial) report: `npm run mutate:summary -- s1.json+reports/mutation/progress.jsonl=...`.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

export const PROGRESS_FILE = 'reports/mutation/progress.jsonl';

class ProgressReporter {
  constructor() {
    mkdirSync(dirname(PROGRESS_FILE), { recursive: true });
    writeFileSync(PROGRESS_FILE, '');
  }

  onMutantTested(result) {
    const { fileName, location, mutatorName, replacement, status } = result;
    appendFileSync(
      PROGRESS_FILE,
      `${JSON.stringify({ fileName, location, mutatorName, replacement, status })}\n`,
    );
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'progress-jsonl', ProgressReporter)];
