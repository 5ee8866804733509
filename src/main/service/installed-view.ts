// What `listInstalled` shows of each installed XMRig: where it is, its verified hash, its trusted binary,
// whether profiles following "latest" run it, and who uses it. Computed from the disk and the stores.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { InstalledVersion, Profile, TrustedBinary, UsageRef } from '../../shared/contract';
import { LIVE_STATES, type MinerSnapshot } from '../../shared/model';
import type { InstalledXmrig } from '../core/install/types';
import { UNTESTED_NOTE, releaseStatus } from '../core/install/tested';
import { compareVersionStrings, normalizeVersion } from '../core/install/version-order';

export interface ViewInputs {
  installed: InstalledXmrig[];
  binaries: TrustedBinary[];
  defaultBinaryId: string | null;
  profiles: Profile[];
  miners: MinerSnapshot[];
  /** `<minersDir>/xmrig`, to recognise trusted installs whose binary vanished. */
  typeDir: string;
  tested: readonly string[];
}

const ref = (x: { id: string; name: string }): UsageRef => ({ id: x.id, name: x.name });

function usage(binaryId: string | null, isDefault: boolean, inputs: ViewInputs): InstalledVersion['usedBy'] {
  const xmrigProfiles = inputs.profiles.filter((p) => p.minerType === 'xmrig');
  return {
    pinnedProfiles:
      binaryId === null ? [] : xmrigProfiles.filter((p) => p.config.binaryId === binaryId).map(ref),
    followingProfiles: isDefault ? xmrigProfiles.filter((p) => !p.config.binaryId).map(ref) : [],
    runningMiners:
      binaryId === null
        ? []
        : inputs.miners.filter((m) => m.binaryId === binaryId && LIVE_STATES.includes(m.state)).map(ref),
  };
}

function noteFor(version: string, tested: readonly string[]) {
  const status = releaseStatus(version, tested);
  return { status, note: status === 'newer-untested' ? UNTESTED_NOTE : null };
}

/** Installed versions newest first, then trusted installs whose binary is gone (quarantined?). */
export async function installedVersions(inputs: ViewInputs): Promise<InstalledVersion[]> {
  const byPath = new Map(inputs.binaries.filter((b) => b.minerType === 'xmrig').map((b) => [b.path, b]));
  const out: InstalledVersion[] = [];
  for (const item of inputs.installed) {
    // The store keeps real paths; the miners folder may be reached through a symlink.
    const real = await realpath(item.binaryPath).catch(() => item.binaryPath);
    const binary = byPath.get(real) ?? byPath.get(item.binaryPath) ?? null;
    const binaryId = binary?.id ?? null;
    const isDefault = binaryId !== null && binaryId === inputs.defaultBinaryId;
    out.push({
      minerType: 'xmrig',
      version: item.version,
      folder: item.dir,
      binaryPath: item.binaryPath,
      sha256: item.sha256,
      verified: item.verified,
      installedAt: item.installedAt,
      ...noteFor(item.version, inputs.tested),
      health: 'ok',
      binaryId,
      isDefault,
      usedBy: usage(binaryId, isDefault, inputs),
    });
  }
  const listed = new Set(out.map((v) => v.version));
  const realTypeDir = await realpath(inputs.typeDir).catch(() => inputs.typeDir);
  for (const b of inputs.binaries) {
    if (b.minerType !== 'xmrig' || b.source !== 'installed') continue;
    const folder = path.dirname(b.path);
    const version = normalizeVersion(path.basename(folder));
    const inMinersDir = [inputs.typeDir, realTypeDir].includes(path.dirname(folder));
    if (!inMinersDir || version === null || listed.has(version)) continue;
    listed.add(version);
    const isDefault = b.id === inputs.defaultBinaryId;
    out.push({
      minerType: 'xmrig',
      version,
      folder,
      binaryPath: b.path,
      sha256: b.sha256,
      verified: true,
      installedAt: new Date(b.addedAt).toISOString(),
      ...noteFor(version, inputs.tested),
      health: 'missing',
      binaryId: b.id,
      isDefault,
      usedBy: usage(b.id, isDefault, inputs),
    });
  }
  return out.sort((a, b) => compareVersionStrings(b.version, a.version));
}
