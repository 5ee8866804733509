// Trusted-binary commands: check what a start would run, list, pick (the desktop's native dialog, the one
// channel that may add a binary) and forget. Nothing here runs or reads a path a caller sent.
import type { InstallationCheck, TrustedBinary } from '../../../shared/contract';
import { MinerError } from '../../../shared/errors';
import { MINER_DISPLAY_NAMES } from '../../core/miners/display-names';
import { readVersion } from '../../core/install/version';
import type { BinaryMinerType } from '../../core/trust/trust-store';
import type { Handlers, ServiceContext } from './context';

/**
 * The desktop app's native file dialog, run by the main process: the only way a UI can add a trusted
 * binary. Absent in headless mode, where the local user runs `npm run headless -- trust add PATH`.
 */
export type PickBinaryFile = (req: { minerType: BinaryMinerType; title: string }) => Promise<string | null>;

const HEADLESS_TRUST_HINT =
  'In headless mode a binary is trusted by a command run on this machine: `npm run headless -- trust add /path/to/binary`.';

type TrustCommand = 'checkInstallation' | 'listTrustedBinaries' | 'pickBinary' | 'removeTrustedBinary';

/** Reports on the trusted binary a start would use; never runs or looks at a path it was sent. */
async function checkInstallation(
  ctx: ServiceContext,
  minerType: InstallationCheck['minerType'],
  binaryId: string | undefined,
): Promise<InstallationCheck> {
  const name = MINER_DISPLAY_NAMES[minerType];
  if (minerType === 'simulated') {
    return {
      minerType,
      found: true,
      binaryId: null,
      path: null,
      version: null,
      message: `${name} runs inside the app; nothing to install`,
    };
  }
  try {
    const binary = await ctx.trust.resolve(minerType, binaryId);
    // Only a trusted, just-verified file is ever executed for its version.
    const version = binary.version ?? (await readVersion(binary.path, { timeoutMs: 5000 }));
    if (version && version !== binary.version) await ctx.trust.setVersion(binary.id, version);
    return {
      minerType,
      found: true,
      binaryId: binary.id,
      path: binary.path,
      version,
      message: version
        ? `${name} ${version} at ${binary.path} (trusted)`
        : `${binary.path} is trusted but did not report a version`,
    };
  } catch (err) {
    if (err instanceof MinerError && ['BINARY_MISSING', 'UNTRUSTED_BINARY', 'NOT_FOUND'].includes(err.code)) {
      return {
        minerType,
        found: false,
        binaryId: binaryId ?? null,
        path: null,
        version: null,
        message: err.message,
      };
    }
    throw err;
  }
}

export function trustCommands(
  ctx: ServiceContext,
  pickBinaryFile: PickBinaryFile | null,
  emitBinaries: () => Promise<void>,
): Handlers<TrustCommand> {
  return {
    checkInstallation: async ({ minerType, binaryId }) => checkInstallation(ctx, minerType, binaryId),
    listTrustedBinaries: async () => ctx.trust.list(),
    pickBinary: async ({ minerType }): Promise<TrustedBinary | null> => {
      if (!pickBinaryFile) {
        throw new MinerError(
          'UNSUPPORTED',
          `Choosing a binary needs the desktop app. ${HEADLESS_TRUST_HINT}`,
        );
      }
      const name = MINER_DISPLAY_NAMES[minerType];
      const path = await pickBinaryFile({ minerType, title: `Choose the ${name} binary you trust` });
      if (path === null) return null;
      const version = await readVersion(path, { timeoutMs: 5000 }).catch(() => null);
      const entry = await ctx.trust.add({ path, minerType, source: 'user', version });
      ctx.notify('info', `${name} at ${entry.path} is now trusted${version ? ` (version ${version})` : ''}.`);
      await emitBinaries();
      return entry;
    },
    removeTrustedBinary: async ({ id }) => {
      await ctx.trust.remove(id);
      await emitBinaries();
      return { ok: true };
    },
  };
}
