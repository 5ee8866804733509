// What each tray item does, as service calls on the miners the menu model targeted. Kept apart from
// tray.ts so it runs in tests without Electron; failures are reported, never thrown into a menu click.
import type { MinerSnapshot } from '../../../shared/model';
import { toErrorPayload } from '../../../shared/errors';
import type { ServiceApi } from '../../service/types';
import {
  TRAY_IDS,
  cpuPresetOf,
  cpuThrottleable,
  mineAnywayable,
  pausable,
  resumable,
  stoppable,
} from './menu-model';

/** How long the tray's "Mine anyway" ignores the pause rules. */
export const MINE_ANYWAY_MINUTES = 60;

export interface TrayActionContext {
  service: Pick<ServiceApi, 'invoke'>;
  miners: () => MinerSnapshot[];
  /** The profile Start runs (see profileToStart); null when there is none. */
  startProfileId: () => string | null;
  showWindow: () => void;
  hideWindow: () => void;
  quit: () => void;
  /** A command failed; the user clicked in the tray, so tell them there (a notification). */
  report: (title: string, message: string) => void;
}

type PerMiner = (id: string) => Promise<unknown>;

// Miners are independent: one failing (e.g. TT-Miner cannot pause) must not keep the others from acting.
async function eachMiner(
  ctx: TrayActionContext,
  pick: (m: MinerSnapshot) => boolean,
  title: string,
  run: PerMiner,
): Promise<void> {
  const targets = ctx.miners().filter(pick);
  const results = await Promise.allSettled(targets.map((m) => run(m.id)));
  const failures = results.flatMap((r, i) =>
    r.status === 'rejected' ? [`${targets[i]?.name ?? '?'}: ${toErrorPayload(r.reason).message}`] : [],
  );
  if (failures.length > 0) ctx.report(title, failures.join('\n'));
}

/** Runs the action behind a tray item id; unknown ids (status lines, separators) do nothing. */
export async function runTrayAction(id: string, ctx: TrayActionContext): Promise<void> {
  const { service } = ctx;
  switch (id) {
    case TRAY_IDS.showWindow:
      ctx.showWindow();
      return;
    case TRAY_IDS.hideWindow:
      ctx.hideWindow();
      return;
    case TRAY_IDS.quit:
      ctx.quit();
      return;
    case TRAY_IDS.start: {
      const profileId = ctx.startProfileId();
      if (profileId === null) return;
      try {
        await service.invoke('startMiner', { profileId });
      } catch (err) {
        ctx.report('Could not start mining', toErrorPayload(err).message);
      }
      return;
    }
    case TRAY_IDS.stopAll:
      return eachMiner(ctx, stoppable, 'Could not stop every miner', (minerId) =>
        service.invoke('stopMiner', { id: minerId }),
      );
    case TRAY_IDS.pauseAll:
      return eachMiner(ctx, pausable, 'Could not pause every miner', (minerId) =>
        service.invoke('pauseMiner', { id: minerId }),
      );
    case TRAY_IDS.resumeAll:
      return eachMiner(ctx, resumable, 'Could not resume every miner', (minerId) =>
        service.invoke('resumeMiner', { id: minerId }),
      );
    case TRAY_IDS.mineAnyway:
      return eachMiner(ctx, mineAnywayable, 'Could not mine anyway', (minerId) =>
        service.invoke('resumeMiner', { id: minerId, forMinutes: MINE_ANYWAY_MINUTES }),
      );
    default: {
      const percent = cpuPresetOf(id);
      if (percent === null) return;
      return eachMiner(ctx, cpuThrottleable, `Could not set the CPU limit to ${percent} %`, (minerId) =>
        service.invoke('setThrottle', { id: minerId, cpuMaxThreadsHint: percent }),
      );
    }
  }
}
