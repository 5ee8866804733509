// Wraps the spawner so a trusted binary that vanished or may not run at spawn time (ENOENT, EACCES,
// EPERM: the marks of antivirus quarantine or blocking) is reported with what the user can do about it.
import { MinerError } from '../../shared/errors';
import type { Spawner } from '../core/process';
import { quickStat } from '../core/trust/file-identity';
import { QUARANTINE_ERRNOS, blockedMessage } from '../core/trust/quarantine';
import { binaryActions, type TrustStore } from '../core/trust/trust-store';

export function explainBlockedSpawn(
  spawn: Spawner,
  trust: Pick<TrustStore, 'list'>,
  platform: NodeJS.Platform = process.platform,
): Spawner {
  return async (req) => {
    try {
      return await spawn(req);
    } catch (err) {
      if (!(err instanceof MinerError) || err.code !== 'SPAWN_FAILED') throw err;
      const details = (err.details ?? {}) as Record<string, unknown>;
      const errno = typeof details.errno === 'string' ? details.errno : null;
      if (errno === null || !QUARANTINE_ERRNOS.has(errno)) throw err;
      const entry = (await trust.list().catch(() => [])).find((b) => b.path === req.command);
      if (!entry) throw err;
      // ENOENT with the file still there is something else (a missing interpreter or library).
      const gone = (await quickStat(entry.path)) === null;
      if (errno === 'ENOENT' && !gone) throw err;
      throw new MinerError(
        gone ? 'BINARY_MISSING' : 'SPAWN_FAILED',
        blockedMessage(entry, gone ? 'ENOENT' : errno, platform),
        {
          ...details,
          binaryId: entry.id,
          path: entry.path,
          minerType: entry.minerType,
          source: entry.source,
          reason: 'quarantined',
          actions: binaryActions(entry.minerType),
        },
      );
    }
  };
}
