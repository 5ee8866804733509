// A Governor for tests that drive it by hand on a fake clock: no CPU budget, the pause rules and the
// system state the test sets, every notice kept, and one step that moves the clock then decides.
import { DEFAULT_CPU_BUDGET, type PauseRulesSettings } from '../../src/shared/contract';
import { Governor, type GovernorOptions } from '../../src/main/core/throttle/governor';
import type { MinerManager } from '../../src/main/core/manager';

type Options = Pick<GovernorOptions, 'observe' | 'programs' | 'localTime'> & {
  /** Read on every step, so the test can change the rules between steps. */
  pauseRules: () => PauseRulesSettings;
};

export function governorOnFakeClock(manager: MinerManager, options: Options) {
  let clock = Date.now();
  const notices: string[] = [];
  const { pauseRules, ...rest } = options;
  const governor = new Governor({
    ...rest,
    manager,
    settings: () => ({ cpuBudget: DEFAULT_CPU_BUDGET, pauseRules: pauseRules() }),
    now: () => clock,
    notify: (_level, message) => notices.push(message),
  });
  return {
    governor,
    notices,
    now: () => clock,
    /** Moves the clock on, then lets the governor decide once. */
    step: async (advanceMs = 1000) => {
      clock += advanceMs;
      await governor.step();
    },
  };
}
