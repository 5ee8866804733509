// Starts, follows and cancels an XMRig install from any view. The view shows its own install (started
// here, or adopted when one was running already) and any install running now, wherever it started.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { InstallStatus } from '../../../../shared/contract';
import type { ErrorPayload } from '../../../../shared/errors';
import { useClient } from '../../client/ClientContext';
import { toMinerError } from '../../client/minerError';
import { useInstallsStore, useRunningInstall } from '../../store/installsStore';

export interface InstallRunner {
  /** The running install, else this view's own last one; null before anything happened. */
  status: InstallStatus | null;
  /** The install command itself was refused (not an install that failed: that is in `status.error`). */
  refused: ErrorPayload | null;
  starting: boolean;
  cancelling: boolean;
  start: (version?: string) => Promise<void>;
  cancel: () => Promise<void>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The running install an ALREADY_RUNNING refusal carries, so the view can follow it instead. */
function busyInstall(error: ErrorPayload): InstallStatus | null {
  if (error.code !== 'ALREADY_RUNNING' || !isRecord(error.details)) return null;
  const install = error.details.install;
  return isRecord(install) && typeof install.installId === 'string'
    ? (install as unknown as InstallStatus)
    : null;
}

/** `onSucceeded` runs once when this view's own install succeeds. */
export function useInstall(onSucceeded?: (status: InstallStatus) => void): InstallRunner {
  const client = useClient();
  const [mine, setMine] = useState<string | null>(null);
  const [refused, setRefused] = useState<ErrorPayload | null>(null);
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const running = useRunningInstall();
  const own = useInstallsStore((s) => (mine ? (s.byId[mine] ?? null) : null));
  const notified = useRef<string | null>(null);
  const callback = useRef(onSucceeded);

  useEffect(() => {
    callback.current = onSucceeded;
  });

  useEffect(() => {
    if (own?.state !== 'succeeded' || notified.current === own.installId) return;
    notified.current = own.installId;
    callback.current?.(own);
  }, [own]);

  useEffect(() => {
    if (!running) setCancelling(false);
  }, [running]);

  const start = useCallback(
    async (version?: string) => {
      setRefused(null);
      setStarting(true);
      try {
        const status = await client.installMiner(
          version ? { minerType: 'xmrig', version } : { minerType: 'xmrig' },
        );
        useInstallsStore.getState().applyProgress(status);
        setMine(status.installId);
      } catch (err) {
        const error = toMinerError(err).toPayload();
        const other = busyInstall(error);
        if (other) {
          useInstallsStore.getState().applyProgress(other);
          setMine(other.installId);
        } else setRefused(error);
      } finally {
        setStarting(false);
      }
    },
    [client],
  );

  const cancel = useCallback(async () => {
    setCancelling(true);
    try {
      const { cancelled } = await client.cancelInstall({ minerType: 'xmrig' });
      // Nothing was running any more: the install ended meanwhile and its last event says how.
      if (!cancelled) setCancelling(false);
    } catch (err) {
      setCancelling(false);
      setRefused(toMinerError(err).toPayload());
    }
  }, [client]);

  return { status: running ?? own, refused, starting, cancelling, start, cancel };
}
