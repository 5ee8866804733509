// An in-memory MiningClient for renderer tests: records every command call, answers from a small
// state (miners, profiles, settings) or from per-test overrides, and lets tests emit any event.
import {
  commandSchemas,
  COMMAND_NAMES,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type EventName,
  type EventPayloads,
  type InstalledMiners,
  type MiningClient,
  type Profile,
  type Snapshot,
  type TrustedBinary,
} from '../../../shared/contract';
import { MinerError } from '../../../shared/errors';
import type { LogLine, MinerSnapshot } from '../../../shared/model';
import { minerConfigObject } from '../../../shared/schemas';
import { makeInstalled, makeMiner, makeSettings } from './fixtures';

export type Responder<K extends CommandName> = (
  input: CommandInput<K>,
) => CommandOutput<K> | Promise<CommandOutput<K>>;
export type Responders = { [K in CommandName]: Responder<K> };

export interface RecordedCall {
  name: CommandName;
  input: unknown;
}

export interface FakeState {
  miners: MinerSnapshot[];
  profiles: Profile[];
  settings: Snapshot['settings'];
  logs: Record<string, LogLine[]>;
  binaries: TrustedBinary[];
}

export type FakeClient = MiningClient & {
  readonly calls: RecordedCall[];
  readonly state: FakeState;
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  respond<K extends CommandName>(name: K, responder: Responder<K>): void;
  callsOf(name: CommandName): unknown[];
  listenerCount(event: EventName): number;
};

const noInstalls: InstalledMiners = makeInstalled();

export function createFakeClient(initial: Partial<FakeState> = {}): FakeClient {
  const state: FakeState = {
    miners: initial.miners ?? [],
    profiles: initial.profiles ?? [],
    settings: initial.settings ?? makeSettings(),
    logs: initial.logs ?? {},
    binaries: initial.binaries ?? [],
  };
  const calls: RecordedCall[] = [];
  const handlers = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;

  function emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const h of handlers.get(event) ?? []) h(payload);
  }

  function findMiner(id: string): MinerSnapshot {
    const m = state.miners.find((x) => x.id === id);
    if (!m) throw new MinerError('NOT_FOUND', `No miner ${id}`);
    return m;
  }

  function update(id: string, patch: Partial<MinerSnapshot>): MinerSnapshot {
    const next = { ...findMiner(id), ...patch };
    state.miners = state.miners.map((m) => (m.id === id ? next : m));
    emit('minerState', next);
    return next;
  }

  const defaults: Responders = {
    getSnapshot: () => ({
      miners: state.miners,
      profiles: state.profiles,
      settings: state.settings,
      binaries: state.binaries,
    }),
    listProfiles: () => state.profiles,
    saveProfile: (input) => {
      const id = input.id ?? `p${nextId++}`;
      const profile: Profile = {
        id,
        name: input.name,
        minerType: input.minerType,
        config: minerConfigObject.parse(input.config ?? {}),
        createdAt: 0,
        updatedAt: 0,
      };
      state.profiles = [...state.profiles.filter((p) => p.id !== id), profile];
      emit('profiles', state.profiles);
      return profile;
    },
    deleteProfile: ({ id }) => {
      state.profiles = state.profiles.filter((p) => p.id !== id);
      emit('profiles', state.profiles);
      return { ok: true };
    },
    startMiner: (input) => {
      const profile = 'profileId' in input ? state.profiles.find((p) => p.id === input.profileId) : undefined;
      const miner = makeMiner({
        id: `m${nextId++}`,
        name: profile?.name ?? 'miner',
        minerType: profile?.minerType ?? ('minerType' in input ? input.minerType : 'simulated'),
        profileId: profile?.id ?? null,
        state: 'starting',
      });
      state.miners = [...state.miners, miner];
      emit('minerState', miner);
      return miner;
    },
    stopMiner: ({ id }) => update(id, { state: 'stopped', pid: null }),
    restartMiner: ({ id }) => update(id, { state: 'starting', generation: findMiner(id).generation + 1 }),
    pauseMiner: ({ id }) => update(id, { paused: true }),
    resumeMiner: ({ id }) => update(id, { paused: false }),
    removeMiner: ({ id }) => {
      findMiner(id);
      state.miners = state.miners.filter((m) => m.id !== id);
      return { ok: true };
    },
    setThrottle: ({ id, ...patch }) => {
      const m = findMiner(id);
      const config = {
        ...m.config,
        ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
      };
      return { mode: 'live', miner: update(id, { config }) };
    },
    getHistory: ({ id, from, to }) => ({ id, from: from ?? 0, to: to ?? 0, points: [] }),
    getLogs: ({ id }) => ({ id, lines: state.logs[id] ?? [] }),
    sendConsole: () => ({ ok: true }),
    getSettings: () => state.settings,
    saveSettings: (patch) => {
      state.settings = { ...state.settings, ...commandSchemas.saveSettings.parse(patch) };
      emit('settings', state.settings);
      return state.settings;
    },
    checkInstallation: ({ minerType }) => ({
      minerType,
      found: false,
      binaryId: null,
      path: null,
      version: null,
      message: 'not found',
    }),
    listTrustedBinaries: () => state.binaries,
    pickBinary: () => null,
    removeTrustedBinary: ({ id }) => {
      state.binaries = state.binaries.filter((b) => b.id !== id);
      emit('binaries', state.binaries);
      return { ok: true };
    },
    // Installs: nothing installed; tests script installs with respond() and emit().
    installMiner: () => {
      throw new MinerError('UNSUPPORTED', 'No installs in the fake client');
    },
    cancelInstall: () => ({ cancelled: false }),
    listInstalled: () => noInstalls,
    checkMinerUpdate: () => {
      throw new MinerError('NETWORK', 'No network in the fake client', { reason: 'offline' });
    },
    uninstallMiner: ({ version }) => {
      throw new MinerError('NOT_FOUND', `XMRig ${version} is not installed`, { reason: 'not-installed' });
    },
  };
  const responders: Responders = { ...defaults };

  const commands = Object.fromEntries(
    COMMAND_NAMES.map((name) => [
      name,
      async (input: unknown) => {
        calls.push({ name, input });
        return (responders[name] as (i: unknown) => unknown)(input);
      },
    ]),
  ) as unknown as MiningClient;

  return {
    ...commands,
    calls,
    state,
    emit,
    on(event, handler) {
      let set = handlers.get(event);
      if (!set) {
        set = new Set();
        handlers.set(event, set);
      }
      const h = handler as (payload: unknown) => void;
      set.add(h);
      return () => {
        set.delete(h);
      };
    },
    respond(name, responder) {
      (responders as Record<CommandName, unknown>)[name] = responder;
    },
    callsOf: (name) => calls.filter((c) => c.name === name).map((c) => c.input),
    listenerCount: (event) => handlers.get(event)?.size ?? 0,
  };
}
