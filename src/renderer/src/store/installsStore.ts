// The installs slice: the installed miner versions (`listInstalled`, then every `installs` event) and
// each install's newest progress by installId, merged so an older report never overwrites a newer one.
import { create } from 'zustand';
import type { InstallStatus, InstalledMiners, UpdateCheck } from '../../../shared/contract';
import { PHASE_ORDER } from '../format/install';

/** Installs remembered per session: the running one and the last few that ended. */
export const MAX_TRACKED_INSTALLS = 5;

export interface InstallsState {
  /** null until the first `listInstalled` answer or `installs` event. */
  installed: InstalledMiners | null;
  /** Newest status per installId (bounded). */
  byId: Readonly<Record<string, InstallStatus>>;
  /** The most recently started install seen: the one every install view shows. */
  currentId: string | null;
  /** The newest update check from a `checkMinerUpdate` answer (the list's own may be older or absent). */
  checked: UpdateCheck | null;
  setInstalled: (list: InstalledMiners) => void;
  applyProgress: (status: InstallStatus) => void;
  setChecked: (check: UpdateCheck) => void;
  reset: () => void;
}

const phaseIndex = (s: InstallStatus): number => PHASE_ORDER[s.phase];

/**
 * True when `next` says more than `prev` about the same install. Reports of one install can arrive out
 * of order (the command's answer after its first events, a listing taken before the last event), so a
 * finished install never goes back to running and a running one never goes back a phase or in bytes.
 */
export function supersedes(next: InstallStatus, prev: InstallStatus | undefined): boolean {
  if (!prev) return true;
  if (prev.state !== 'running') return false;
  if (next.state !== 'running') return true;
  const byPhase = phaseIndex(next) - phaseIndex(prev);
  return byPhase > 0 || (byPhase === 0 && next.bytes >= prev.bytes);
}

function withStatus(
  s: Pick<InstallsState, 'byId' | 'currentId'>,
  status: InstallStatus,
): Pick<InstallsState, 'byId' | 'currentId'> | null {
  if (!supersedes(status, s.byId[status.installId])) return null;
  const current = s.currentId ? s.byId[s.currentId] : undefined;
  const isCurrent =
    !current || current.installId === status.installId || status.startedAt >= current.startedAt;
  const entries = Object.entries({ ...s.byId, [status.installId]: status });
  // Oldest first by start; drop the oldest beyond the bound (never the current one).
  entries.sort((a, b) => a[1].startedAt - b[1].startedAt);
  const currentId = isCurrent ? status.installId : s.currentId;
  while (entries.length > MAX_TRACKED_INSTALLS) {
    const i = entries.findIndex(([id]) => id !== currentId);
    entries.splice(i, 1);
  }
  return { byId: Object.fromEntries(entries), currentId };
}

const initial = { installed: null, byId: {}, currentId: null, checked: null };

export const useInstallsStore = create<InstallsState>()((set) => ({
  ...initial,
  setInstalled: (installed) =>
    set((s) => {
      // The list names the running install and the last one to end: a window opened late learns of them.
      let next: Pick<InstallsState, 'byId' | 'currentId'> = s;
      for (const status of [installed.last, installed.active]) {
        if (status) next = withStatus(next, status) ?? next;
      }
      return { installed, byId: next.byId, currentId: next.currentId };
    }),
  applyProgress: (status) => set((s) => withStatus(s, status) ?? {}),
  setChecked: (checked) =>
    set((s) => (s.checked && s.checked.checkedAt > checked.checkedAt ? {} : { checked })),
  reset: () => set(initial),
}));

/** The install every view shows: the running one, else the last one that ended this session. */
export function useCurrentInstall(): InstallStatus | null {
  return useInstallsStore((s) => (s.currentId ? (s.byId[s.currentId] ?? null) : null));
}

/** The install running now, or null. */
export function useRunningInstall(): InstallStatus | null {
  return useInstallsStore((s) => {
    const current = s.currentId ? s.byId[s.currentId] : undefined;
    return current?.state === 'running' ? current : null;
  });
}

/**
 * The update answer to show: the newer of a `checkMinerUpdate` answer and the list's. On a tie (the same
 * fetch) the list's wins, since it is recomputed against what is installed after every change, but it
 * keeps the answer's word on whether GitHub was asked just now.
 */
export function latestUpdateCheck(
  listed: UpdateCheck | null,
  checked: UpdateCheck | null,
): UpdateCheck | null {
  if (!listed) return checked;
  if (!checked || listed.checkedAt > checked.checkedAt) return listed;
  if (checked.checkedAt > listed.checkedAt) return checked;
  return listed.fromCache === checked.fromCache ? listed : { ...listed, fromCache: checked.fromCache };
}
