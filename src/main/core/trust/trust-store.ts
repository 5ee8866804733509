// The binaries the app may execute: installed by the app with a verified checksum, or registered by the
// local user through a channel the API cannot reach (a native dialog, a terminal command). Each entry
// records the real path, SHA-256, size and mtime; every spawn checks the file again before running it.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { realpath, stat } from 'node:fs/promises';
import { Mutex } from 'async-mutex';
import { z } from 'zod';
import type { TrustedBinary } from '../../../shared/contract';
import { MinerError } from '../../../shared/errors';
import type { MinerType } from '../../../shared/schemas';
import { loadJsonFile, saveJsonFile } from '../store/json-file';
import { compareVersionStrings } from '../install/version-order';
import { identify, quickStat, sha256File } from './file-identity';
import { vanishedMessage } from './quarantine';

export const TRUST_FILE = 'trusted-binaries.json';

const entrySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  minerType: z.enum(['xmrig', 'ttminer']),
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().positive(),
  mtimeMs: z.number(),
  version: z.string().max(64).nullable(),
  source: z.enum(['installed', 'user']),
  addedAt: z.number(),
});
const fileSchema = z.object({ version: z.literal(1), binaries: z.array(entrySchema) });

export type BinaryMinerType = Exclude<MinerType, 'simulated'>;

export interface TrustAddRequest {
  path: string;
  minerType: BinaryMinerType;
  source: 'installed' | 'user';
  version?: string | null;
  /** When the caller already hashed the file (the installer did, while verifying the download). */
  sha256?: string;
}

/** What a spawn gets back: the exact file to execute, checked just now. */
export interface VerifiedBinary {
  id: string;
  path: string;
  version: string | null;
}

/** What a UI can offer when a type has no usable binary: XMRig can be installed, any type chosen. */
export type BinaryAction = 'install' | 'choose';

export function binaryActions(minerType: BinaryMinerType): BinaryAction[] {
  return minerType === 'xmrig' ? ['install', 'choose'] : ['choose'];
}

/** Error details of a trusted binary that vanished or may not run: the UI shows the advice and buttons. */
export function quarantinedDetails(entry: Pick<TrustedBinary, 'id' | 'path' | 'minerType' | 'source'>) {
  return {
    binaryId: entry.id,
    path: entry.path,
    minerType: entry.minerType,
    source: entry.source,
    reason: 'quarantined' as const,
    actions: binaryActions(entry.minerType),
  };
}

export function describeSource(b: Pick<TrustedBinary, 'source'>): string {
  return b.source === 'installed' ? 'installed and verified by HashDeck' : 'registered by you';
}

export class TrustStore {
  // Stryker disable next-line ArrayDeclaration: equivalent, the first read loads (no file's stamp is ever '')
  private entries: TrustedBinary[] = [];
  private readonly lock = new Mutex();
  // Stryker disable next-line StringLiteral: equivalent, any value no stamp takes makes the first read load
  private loadedStamp = '';
  readonly path: string;

  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.path = join(dataDir, TRUST_FILE);
  }

  /** Loads the file; returns a notice when a corrupt file was moved aside. */
  async load(): Promise<string | null> {
    const result = await loadJsonFile(this.path, fileSchema, () => ({ version: 1 as const, binaries: [] }));
    this.entries = result.value.binaries;
    this.loadedStamp = await this.stamp();
    return result.notice;
  }

  /** The headless `trust` command may change the file while a server runs: pick that up. */
  private async refresh(): Promise<void> {
    const stamp = await this.stamp();
    if (stamp !== this.loadedStamp) await this.load();
  }

  private async stamp(): Promise<string> {
    // Stryker disable next-line ArrowFunction: equivalent, undefined is as falsy as null
    const info = await stat(this.path).catch(() => null);
    return info ? `${info.size}:${info.mtimeMs}` : 'absent';
  }

  async list(): Promise<TrustedBinary[]> {
    await this.refresh();
    return this.entries.map((e) => ({ ...e }));
  }

  async get(id: string): Promise<TrustedBinary> {
    await this.refresh();
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) {
      throw new MinerError(
        'NOT_FOUND',
        `No trusted binary with id "${id}"; choose one from the list of trusted binaries`,
        {
          binaryId: id,
        },
      );
    }
    return { ...entry };
  }

  /**
   * Records a binary as trusted. Only for channels the API cannot reach (the installer after verifying a
   * download, the desktop file dialog, the headless `trust add` command). Re-adding the same real path
   * keeps its id (profiles refer to it) and records the file as it is now.
   */
  add(req: TrustAddRequest): Promise<TrustedBinary> {
    return this.lock.runExclusive(async () => {
      await this.refresh();
      const file = await identify(req.path);
      if (req.sha256 && req.sha256 !== file.sha256) {
        throw new MinerError(
          'UNTRUSTED_BINARY',
          `${file.path} changed after it was verified; not trusting it`,
          {
            path: file.path,
          },
        );
      }
      const existing = this.entries.find((e) => e.path === file.path && e.minerType === req.minerType);
      const entry: TrustedBinary = {
        id: existing?.id ?? `${req.minerType}-${randomBytes(4).toString('hex')}`,
        minerType: req.minerType,
        path: file.path,
        sha256: file.sha256,
        size: file.size,
        mtimeMs: file.mtimeMs,
        version: req.version ?? null,
        source: req.source,
        addedAt: this.now(),
      };
      const next = existing
        ? this.entries.map((e) => (e.id === entry.id ? entry : e))
        : [...this.entries, entry];
      await this.write(next);
      return { ...entry };
    });
  }

  remove(id: string): Promise<TrustedBinary> {
    return this.lock.runExclusive(async () => {
      await this.refresh();
      const entry = this.entries.find((e) => e.id === id);
      if (!entry) throw new MinerError('NOT_FOUND', `No trusted binary with id "${id}"`, { binaryId: id });
      await this.write(this.entries.filter((e) => e.id !== id));
      return entry;
    });
  }

  /** Records the version a binary reported (`--version`), shown next to it in the UI. */
  setVersion(id: string, version: string | null): Promise<void> {
    return this.lock.runExclusive(async () => {
      const entry = this.entries.find((e) => e.id === id);
      if (!entry || entry.version === version) return;
      await this.write(this.entries.map((e) => (e.id === id ? { ...e, version } : e)));
    });
  }

  /**
   * The binary a start should use: the one named by id, else the default for the type (the newest
   * version the app installed, else the most recently registered one). Checked against its record
   * right now: gone, replaced by a symlink, or different content is refused with a clear error.
   */
  async resolve(minerType: BinaryMinerType, binaryId: string | undefined): Promise<VerifiedBinary> {
    const entry = binaryId ? await this.get(binaryId) : await this.defaultFor(minerType);
    if (entry.minerType !== minerType) {
      throw new MinerError(
        'INVALID_INPUT',
        `Trusted binary ${entry.id} is a ${entry.minerType} binary, not ${minerType}`,
        { binaryId: entry.id },
      );
    }
    await this.check(entry);
    return { id: entry.id, path: entry.path, version: entry.version };
  }

  async defaultFor(minerType: BinaryMinerType): Promise<TrustedBinary> {
    const candidates = (await this.list()).filter((e) => e.minerType === minerType);
    const installed = candidates
      .filter((e) => e.source === 'installed')
      .sort((a, b) => compareVersionStrings(b.version ?? '', a.version ?? ''));
    const chosen = installed[0] ?? candidates.sort((a, b) => b.addedAt - a.addedAt)[0];
    if (!chosen) throw missingBinary(minerType);
    return chosen;
  }

  private async check(entry: TrustedBinary): Promise<void> {
    const now = await quickStat(entry.path);
    if (!now || !now.isFile) {
      throw new MinerError('BINARY_MISSING', vanishedMessage(entry), quarantinedDetails(entry));
    }
    // A path component swapped for a symlink after registration would run a different file.
    const real = await realpath(entry.path).catch(() => null);
    if (real !== entry.path) {
      throw new MinerError(
        'UNTRUSTED_BINARY',
        `${entry.path} now resolves to ${real ?? 'nothing'}; not running it`,
        {
          binaryId: entry.id,
          path: entry.path,
        },
      );
    }
    if (now.size === entry.size && now.mtimeMs === entry.mtimeMs) return;
    const sha256 = await sha256File(entry.path);
    if (sha256 !== entry.sha256) {
      throw new MinerError(
        'UNTRUSTED_BINARY',
        `${entry.path} changed since it was trusted (its SHA-256 is different); not running it. ` +
          'If you updated it yourself, register it again.',
        { binaryId: entry.id, path: entry.path, expected: entry.sha256, actual: sha256 },
      );
    }
    // Same content, new timestamp (copied, touched): remember it so the next start is fast again.
    await this.lock.runExclusive(async () => {
      const next = this.entries.map((e) =>
        e.id === entry.id ? { ...e, size: now.size, mtimeMs: now.mtimeMs } : e,
      );
      await this.write(next);
    });
  }

  private async write(next: TrustedBinary[]): Promise<void> {
    await saveJsonFile(this.path, { version: 1, binaries: next });
    this.entries = next;
    this.loadedStamp = await this.stamp();
  }
}

/**
 * No trusted binary of a type yet. `details.actions` lists what a UI can offer as buttons; the message
 * says where each one is: the desktop app has "Install XMRig" and "Choose binary…", the headless mode
 * the same Install (browser or `install` command) and `trust add` run on the machine.
 */
export function missingBinary(minerType: BinaryMinerType): MinerError {
  const message =
    minerType === 'xmrig'
      ? 'No trusted XMRig binary yet. In the desktop app: "Install XMRig" (downloads and verifies it) or ' +
        '"Choose binary…". In headless mode: "Install XMRig" in the browser (or `npm run headless -- install xmrig`), ' +
        'or `npm run headless -- trust add /path/to/xmrig` on this machine.'
      : 'No trusted TT-Miner binary yet. In the desktop app: "Choose binary…". In headless mode: ' +
        '`npm run headless -- trust add /path/to/TT-Miner` on this machine.';
  return new MinerError('BINARY_MISSING', message, { minerType, actions: binaryActions(minerType) });
}
