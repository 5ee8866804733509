// Settings commands: the snapshot a UI starts from, reading and saving settings. A saved change reaches
// what it governs at once: the stats interval, the watchdog, history retention and the login item.
import { MinerError } from '../../../shared/errors';
import type { Handlers, ServiceContext } from './context';

/** Where a headless user finds the equivalent of "Start with the computer". */
export const HEADLESS_AUTOSTART_HINT =
  'Starting with the computer is set up outside the app in headless mode: see "Start at boot (headless)" in the README (a systemd user unit).';

export function settingsCommands(
  ctx: ServiceContext,
): Handlers<'getSnapshot' | 'getSettings' | 'saveSettings'> {
  return {
    getSnapshot: async () => ({
      miners: ctx.manager.list(),
      profiles: ctx.profileList(),
      settings: ctx.settingsView(),
      binaries: await ctx.trust.list(),
    }),
    getSettings: async () => ctx.settingsView(),
    saveSettings: async (patch) => {
      const before = ctx.settings.get();
      if (patch.startWithComputer !== undefined && patch.startWithComputer !== before.startWithComputer) {
        if (!ctx.loginItem) throw new MinerError('UNSUPPORTED', HEADLESS_AUTOSTART_HINT);
        try {
          await ctx.loginItem.set(patch.startWithComputer);
        } catch (err) {
          throw new MinerError(
            'STORAGE',
            `Could not ${patch.startWithComputer ? 'add HashDeck to' : 'remove HashDeck from'} the programs that start with the computer: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
      }
      const saved = await ctx.settings.update(patch);
      if (patch.statsIntervalMs !== undefined) ctx.manager.setStatsInterval(patch.statsIntervalMs);
      if (patch.watchdog !== undefined) ctx.manager.setWatchdogSettings(saved.watchdog);
      if (patch.history !== undefined) ctx.history.setRetentionDays(saved.history.retentionDays);
      const view = ctx.settingsView();
      ctx.emit('settings', view);
      return view;
    },
  };
}
