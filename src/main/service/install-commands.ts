// The contract's install commands over one XmrigInstaller: installs run in the background (the command
// answers at once, `installProgress` events follow), one at a time; uninstall refuses what is in use.
import { randomBytes } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import type {
  CommandOutput,
  CommandParsed,
  EventName,
  EventPayloads,
  InstallStatus,
  InstalledMiners,
  InstalledVersion,
  Profile,
  TrustedBinary,
  UsageRef,
} from '../../shared/contract';
import { MinerError, toErrorPayload } from '../../shared/errors';
import type { MinerSnapshot } from '../../shared/model';
import { InstallError, installFailureOf } from '../core/install/errors';
import type { XmrigInstaller } from '../core/install/installer';
import { typeDir } from '../core/install/layout';
import type { InstallProgress, InstalledXmrig } from '../core/install/types';
import { normalizeVersion } from '../core/install/version-order';
import type { TrustStore } from '../core/trust/trust-store';
import { installedVersions } from './installed-view';

export type InstallCommandName =
  'installMiner' | 'cancelInstall' | 'listInstalled' | 'checkMinerUpdate' | 'uninstallMiner';

export type InstallHandlers = {
  [K in InstallCommandName]: (input: CommandParsed<K>) => Promise<CommandOutput<K>>;
};

/** What the install commands need of the service around them. */
export interface InstallHost {
  trust: TrustStore;
  profiles(): Profile[];
  miners(): MinerSnapshot[];
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  on<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): () => void;
  notify(level: 'info' | 'warning' | 'error', message: string): void;
}

const names = (refs: UsageRef[]) => refs.map((r) => `"${r.name}"`).join(', ');
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** The refusal of an uninstall, naming every profile and miner in the way and what to do about each. */
export function inUseError(v: InstalledVersion): InstallError | null {
  const { pinnedProfiles: profiles, runningMiners: miners } = v.usedBy;
  if (profiles.length === 0 && miners.length === 0) return null;
  const parts: string[] = [];
  if (miners.length > 0) {
    parts.push(
      `running ${plural(miners.length, 'miner', 'miners')} ${names(miners)} (stop ${plural(miners.length, 'it', 'them')} first)`,
    );
  }
  if (profiles.length > 0) {
    parts.push(
      `${plural(profiles.length, 'profile', 'profiles')} ${names(profiles)} (choose another binary for ${plural(profiles.length, 'it', 'them')} first)`,
    );
  }
  return new InstallError(
    'INVALID_STATE',
    'in-use',
    `XMRig ${v.version} is in use by ${parts.join(' and ')}; it was not uninstalled.`,
    { version: v.version, usedBy: { profiles, miners } },
  );
}

export class InstallCommands {
  private active: InstallStatus | null = null;
  private running: Promise<void> | null = null;
  private last: InstallStatus | null = null;
  private closed = false;
  private installsQueued = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    readonly installer: XmrigInstaller,
    private readonly host: InstallHost,
    private readonly minersDir: string,
    private readonly now: () => number = Date.now,
  ) {
    installer.on('progress', (p) => this.onProgress(p));
    // Who uses a version and which one is the default follow the profiles and the trusted binaries.
    this.unsubscribe.push(
      host.on('profiles', () => this.queueInstallsEvent()),
      host.on('binaries', () => this.queueInstallsEvent()),
    );
  }

  handlers(): InstallHandlers {
    return {
      installMiner: async ({ version }) => this.start(version ?? null),
      cancelInstall: async () => ({ cancelled: this.installer.cancel() }),
      listInstalled: async () => this.list(),
      checkMinerUpdate: async ({ force }) => {
        const check = await this.installer.checkForUpdate({ force: force ?? false });
        this.queueInstallsEvent();
        return check;
      },
      uninstallMiner: async ({ version }) => this.uninstall(version),
    };
  }

  async list(): Promise<InstalledMiners> {
    const [installed, binaries, update, defaultBinaryId] = await Promise.all([
      this.installer.listInstalled(),
      this.host.trust.list(),
      this.installer.cachedUpdateCheck().catch(() => null),
      this.host.trust.defaultFor('xmrig').then(
        (b) => b.id,
        () => null,
      ),
    ]);
    return {
      minerType: 'xmrig',
      versions: await installedVersions({
        installed,
        binaries,
        defaultBinaryId,
        profiles: this.host.profiles(),
        miners: this.host.miners(),
        typeDir: typeDir(this.minersDir),
        tested: this.installer.testedVersions,
      }),
      active: this.active && { ...this.active },
      last: this.last && { ...this.last },
      update,
      defaultBinaryId,
      testedVersions: [...this.installer.testedVersions],
    };
  }

  /** Cancels a running install and waits for it to clean up; no command is accepted afterwards. */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.installer.cancel();
    await this.running;
  }

  private start(requested: string | null): InstallStatus {
    if (this.closed) throw new MinerError('SHUTTING_DOWN', 'The app is shutting down');
    if (this.active || this.installer.busy) {
      const what = this.active?.version ? `XMRig ${this.active.version}` : 'XMRig';
      throw new InstallError(
        'ALREADY_RUNNING',
        'busy',
        `${what} is being installed already; wait for it to finish or cancel it.`,
        { install: this.active && { ...this.active } },
      );
    }
    const at = this.now();
    // Set before the installer runs: its first progress event arrives synchronously.
    const status: InstallStatus = (this.active = {
      installId: `install-${at.toString(36)}-${randomBytes(3).toString('hex')}`,
      minerType: 'xmrig',
      requested: requested === null ? null : normalizeVersion(requested),
      version: null,
      state: 'running',
      phase: 'resolving',
      bytes: 0,
      total: null,
      percent: null,
      bytesPerSecond: 0,
      startedAt: at,
      finishedAt: null,
      binaryId: null,
      error: null,
    });
    const started = { ...status };
    this.running = this.installer
      .install(requested === null ? {} : { version: requested })
      .then(
        (installed) => this.succeeded(status, installed),
        (err: unknown) => this.failed(status, err),
      )
      // Nobody awaits this but shutdown: a throwing event listener must not become an unhandled rejection.
      .catch((err: unknown) => console.error('install bookkeeping failed', err));
    return started;
  }

  private onProgress(p: InstallProgress): void {
    const status = this.active;
    if (!status) return;
    status.version = p.version;
    status.phase = p.phase;
    if (p.download) {
      status.bytes = p.download.bytes;
      status.total = p.download.total;
      status.percent = p.download.percent;
      status.bytesPerSecond = p.download.bytesPerSecond;
    }
    this.host.emit('installProgress', { ...status });
  }

  private finish(status: InstallStatus): void {
    status.finishedAt = this.now();
    this.active = null;
    this.running = null;
    this.last = status;
    this.host.emit('installProgress', { ...status });
    this.queueInstallsEvent();
  }

  private async succeeded(status: InstallStatus, installed: InstalledXmrig): Promise<void> {
    const binaries = await this.host.trust.list().catch((): TrustedBinary[] => []);
    const real = await realpath(installed.binaryPath).catch(() => installed.binaryPath);
    const entry = binaries.find((b) => b.path === real);
    status.state = 'succeeded';
    status.phase = 'done';
    status.version = installed.version;
    status.binaryId = entry?.id ?? null;
    this.finish(status);
    this.host.emit('binaries', binaries);
    const untested = installed.status === 'newer-untested' ? ' (newer, not yet tested with HashDeck)' : '';
    this.host.notify(
      'info',
      `XMRig ${installed.version}${untested} is installed and verified (signed checksum, SHA-256 ${installed.sha256?.slice(0, 12) ?? '?'}…) in ${installed.dir}. Profiles without a chosen binary use the newest installed version.`,
    );
  }

  private failed(status: InstallStatus, err: unknown): void {
    const error = toErrorPayload(err);
    const cancelled = installFailureOf(err) === 'cancelled';
    status.state = cancelled ? 'cancelled' : 'failed';
    status.error = error;
    this.finish(status);
    if (cancelled) this.host.notify('info', 'The XMRig install was cancelled; nothing was installed.');
    else this.host.notify('error', `Installing XMRig failed: ${error.message}`);
  }

  private async uninstall(raw: string): Promise<InstalledMiners> {
    const version = normalizeVersion(raw) ?? raw;
    const before = await this.list();
    const target = before.versions.find((v) => v.version === version);
    if (!target) {
      const have = before.versions.map((v) => v.version).join(', ');
      throw new InstallError(
        'NOT_FOUND',
        'not-installed',
        `XMRig ${version} is not installed${have ? ` (installed: ${have})` : ''}.`,
      );
    }
    const blocked = inUseError(target);
    if (blocked) throw blocked;
    if (target.health === 'missing' && !(await stat(target.folder).catch(() => null))) {
      // Nothing left on disk (quarantined with its folder): only the trust entry remains to forget.
      if (target.binaryId) await this.host.trust.remove(target.binaryId);
    } else {
      await this.installer.uninstall(version, { usedBy: [] });
    }
    const after = await this.list();
    this.host.emit('binaries', await this.host.trust.list());
    this.host.emit('installs', after);
    this.host.notify('info', this.uninstalledMessage(target, after));
    return after;
  }

  private uninstalledMessage(target: InstalledVersion, after: InstalledMiners): string {
    const following = target.usedBy.followingProfiles;
    if (following.length === 0) return `XMRig ${target.version} was uninstalled.`;
    const next = after.versions.find((v) => v.isDefault);
    const one = following.length === 1;
    const who = `${one ? 'Profile' : 'Profiles'} ${names(following)}`;
    return next
      ? `XMRig ${target.version} was uninstalled. ${who} now ${one ? 'uses' : 'use'} XMRig ${next.version}.`
      : `XMRig ${target.version} was uninstalled. ${who} ${one ? 'has' : 'have'} no XMRig until you install or choose one.`;
  }

  /** One `installs` event for a burst of changes (a profile save, a trust change, an install). */
  private queueInstallsEvent(): void {
    if (this.installsQueued || this.closed) return;
    this.installsQueued = true;
    setImmediate(() => {
      this.installsQueued = false;
      if (this.closed) return;
      this.list().then(
        (list) => {
          if (!this.closed) this.host.emit('installs', list);
        },
        () => undefined, // the next change tries again; listInstalled reports the error itself
      );
    });
  }
}
