// Miner commands: start (from a profile as it is now, or inline), stop, restart, pause, resume (with the
// rules' "mine anyway"), remove, live throttle (optionally saved to the profile), logs and console input.
import type { Profile } from '../../../shared/contract';
import type { MinerSnapshot } from '../../../shared/model';
import type { Handlers, ServiceContext } from './context';

type MinerCommand =
  | 'startMiner'
  | 'stopMiner'
  | 'restartMiner'
  | 'pauseMiner'
  | 'resumeMiner'
  | 'removeMiner'
  | 'setThrottle'
  | 'getLogs'
  | 'sendConsole';

/** The config of the profile an instance was started from, if that profile still exists. */
function currentProfileConfig(ctx: ServiceContext, id: string): Profile['config'] | undefined {
  const profileId = ctx.manager.get(id).profileId;
  if (!profileId) return undefined;
  try {
    return ctx.profiles.get(profileId).config;
  } catch {
    return undefined; // the profile was deleted: the instance keeps what it ran with
  }
}

/** Writes the knobs a throttle changed into the miner's profile; null when it has none (any more). */
async function saveThrottleToProfile(
  ctx: ServiceContext,
  miner: MinerSnapshot,
  patch: Record<string, unknown>,
): Promise<string | null> {
  if (!miner.profileId || !ctx.profileList().some((p) => p.id === miner.profileId)) return null;
  const profile = ctx.profiles.get(miner.profileId);
  const keys = new Set(Object.keys(patch).filter((k) => patch[k] !== undefined));
  // A CPU % hint alone switches a fixed thread count back to automatic (XMRig ignores the hint otherwise).
  if (keys.has('cpuMaxThreadsHint')) keys.add('threads');
  const config: Record<string, unknown> = { ...profile.config };
  for (const key of ['threads', 'cpuMaxThreadsHint', 'cpuPriority', 'cpuBudgetPercent'] as const) {
    if (keys.has(key)) config[key] = miner.config[key];
  }
  await ctx.profiles.save({ id: profile.id, name: profile.name, minerType: profile.minerType, config });
  ctx.emit('profiles', ctx.profileList());
  return profile.id;
}

export function minerCommands(ctx: ServiceContext): Handlers<MinerCommand> {
  const { manager } = ctx;
  return {
    startMiner: async (input) => {
      if ('profileId' in input && input.profileId && !('minerType' in input)) {
        const profile = ctx.profiles.get(input.profileId);
        const snap = await manager.start({
          name: input.name ?? profile.name,
          minerType: profile.minerType,
          profileId: profile.id,
          config: profile.config,
        });
        if (ctx.settings.get().lastProfileId !== profile.id) {
          await ctx.settings.update({ lastProfileId: profile.id });
          ctx.emit('settings', ctx.settingsView());
        }
        return snap;
      }
      return manager.start(input);
    },
    stopMiner: ({ id }) => manager.stop(id),
    // Starting again uses the profile as it is now (a binary chosen since, a new pool), never a stale copy.
    restartMiner: ({ id }) => manager.restart(id, currentProfileConfig(ctx, id)),
    pauseMiner: async ({ id, forMinutes }) => {
      await manager.pause(id);
      // Set once paused (a pause that failed leaves no timer); a pause without an end replaces a timed one.
      ctx.governor.pauseFor(id, forMinutes ?? null);
      return manager.get(id);
    },
    resumeMiner: async ({ id, forMinutes }) => {
      const held = manager.get(id).control?.pausedBy?.by === 'rule';
      if (held || forMinutes !== undefined) ctx.governor.mineAnyway(id, forMinutes ?? 60);
      return manager.resume(id);
    },
    removeMiner: async ({ id }) => {
      await manager.remove(id);
      return { ok: true };
    },
    setThrottle: async ({ id, persist, ...patch }) => {
      const result = await manager.throttle(id, patch);
      const miner = manager.get(id);
      let message = result.apply?.message ?? null;
      let savedToProfile: string | null | undefined;
      if (persist) {
        savedToProfile = await saveThrottleToProfile(ctx, miner, patch);
        if (savedToProfile === null) {
          message = 'Applied for this run only: this miner was not started from a saved profile';
        }
      }
      return { mode: result.mode, miner, apply: result.apply ?? null, savedToProfile, message };
    },
    getLogs: async ({ id, afterSeq, limit }) => ({
      id,
      lines: manager.getLogs(id, afterSeq ?? 0, limit ?? 1000),
    }),
    sendConsole: async ({ id, input }) => {
      await manager.sendConsole(id, input);
      return { ok: true };
    },
  };
}
