// The installer's view of the trust store: a verified install becomes a trusted binary (source
// 'installed', with the hash the installer computed), and a version about to be removed stops being one.
import { realpath } from 'node:fs/promises';
import { MinerError } from '../../shared/errors';
import type { InstallTrust, TrustedInstall } from '../core/install/types';
import type { TrustStore } from '../core/trust/trust-store';

export function installTrust(trust: TrustStore): InstallTrust {
  return {
    registerTrusted: (entry: TrustedInstall) =>
      trust.add({
        path: entry.path,
        minerType: entry.minerType,
        source: 'installed',
        version: entry.version,
        // The store hashes the file again and refuses it when it differs from what was verified.
        sha256: entry.sha256,
      }),
    forgetTrusted: async (path: string) => {
      // The store keeps real paths; the miners folder may sit behind a symlink (/tmp on macOS).
      const real = await realpath(path).catch(() => path);
      const stale = (await trust.list()).filter((b) => b.path === real || b.path === path);
      for (const entry of stale) {
        // Already gone (a `trust remove` meanwhile) is what was wanted; a failed write is not.
        await trust.remove(entry.id).catch((err: unknown) => {
          if (!(err instanceof MinerError && err.code === 'NOT_FOUND')) throw err;
        });
      }
      return stale.length;
    },
  };
}
