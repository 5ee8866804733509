// Runs a freshly extracted binary's `--version` (no shell, a timeout, a clean environment) and checks it
// names the expected version; a binary that vanished or may not run is reported as likely quarantined.
import { execFile } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import { InstallError } from './errors';
import { parseVersionOutput } from './version';

export interface VersionProbeResult {
  /** What the binary printed (first 4 KB), for the report. */
  output: string;
  version: string | null;
}

/** Runs `<binary> --version`; rejects with the spawn error (its `code` is ENOENT, EACCES, ...) or exit. */
export type VersionProbe = (binaryPath: string, opts: { timeoutMs: number }) => Promise<VersionProbeResult>;

// Of unknown: an exit code (a number) is simply not one of them.
const QUARANTINE_CODES: ReadonlySet<unknown> = new Set(['ENOENT', 'EACCES', 'EPERM']);

/** The first line of what the binary printed ('' for nothing). */
function firstLine(text: string): string {
  // split() always returns at least one element.
  return text.trim().split(/\r?\n/, 1)[0]!;
}

/** Only what a `--version` needs (the trust issue's allow-list), never the app's secrets. */
function probeEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'USERPROFILE', 'SystemRoot', 'TEMP', 'TMP', 'LANG'];
  const env: NodeJS.ProcessEnv = {};
  // An undefined value is left out of the child's environment by Node itself.
  for (const k of keep) env[k] = process.env[k];
  return env;
}

export const spawnVersionProbe: VersionProbe = (binaryPath, opts) =>
  new Promise((resolve, reject) => {
    execFile(
      binaryPath,
      ['--version'],
      {
        timeout: opts.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024,
        windowsHide: true,
        shell: false,
        env: probeEnv(),
        cwd: path.dirname(binaryPath),
      },
      (err, stdout, stderr) => {
        const output = `${stdout}${stderr}`.slice(0, 4096);
        if (err) {
          const e = err as NodeJS.ErrnoException & { killed?: boolean; stdout?: string };
          reject(Object.assign(e, { output }));
          return;
        }
        resolve({ output, version: parseVersionOutput(stdout) ?? parseVersionOutput(stderr) });
      },
    );
  });

/** What the user can do themselves; HashDeck never touches security settings. */
export function quarantineAdvice(dir: string, platform: NodeJS.Platform): string {
  const base =
    'Security software often quarantines or blocks crypto miners, even verified ones. HashDeck never changes security settings; if you trust this download, ';
  if (platform === 'win32') {
    return `${base}open Windows Security → Virus & threat protection → Protection history, restore the file, then add an exclusion for ${dir} (Manage settings → Exclusions) and install again.`;
  }
  if (platform === 'darwin') {
    return `${base}check your antivirus's quarantine and allow ${dir}, or allow the binary in System Settings → Privacy & Security, then install again.`;
  }
  return `${base}check your antivirus's quarantine and add an exclusion for ${dir}, then install again. (On Linux the miners folder must also not be on a noexec mount.)`;
}

export interface CheckBinaryOptions {
  expectedVersion: string;
  timeoutMs: number;
  probe?: VersionProbe;
  platform?: NodeJS.Platform;
  /** The folder to name in the advice (the final install location). */
  adviceDir: string;
}

/** Resolves with the banner's first line when `--version` names `expectedVersion`. */
export async function checkBinaryVersion(binaryPath: string, opts: CheckBinaryOptions): Promise<string> {
  const probe = opts.probe ?? spawnVersionProbe;
  let result: VersionProbeResult;
  try {
    result = await probe(binaryPath, { timeoutMs: opts.timeoutMs });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { killed?: boolean; output?: string; signal?: string | null };
    if (QUARANTINE_CODES.has(e.code)) {
      throw new InstallError(
        'SPAWN_FAILED',
        'quarantined',
        `The verified XMRig binary ${e.code === 'ENOENT' ? 'vanished right after it was unpacked' : 'may not be executed'} (${e.code}). ${quarantineAdvice(opts.adviceDir, opts.platform ?? process.platform)}`,
        { errno: e.code },
      );
    }
    if (e.killed) {
      throw new InstallError(
        'VERIFICATION_FAILED',
        'version-check-failed',
        `The downloaded XMRig did not answer --version within ${Math.round(opts.timeoutMs / 1000)} s. Refused.`,
      );
    }
    const said = firstLine(e.output ?? '');
    throw new InstallError(
      'VERIFICATION_FAILED',
      'version-check-failed',
      `The downloaded XMRig failed to run --version (${typeof e.code === 'number' ? `exit ${e.code}` : (e.signal ?? e.message)})${said ? `: ${said}` : ''}. Refused.`,
    );
  }
  if (result.version !== opts.expectedVersion) {
    const said = firstLine(result.output);
    throw new InstallError(
      'VERIFICATION_FAILED',
      'version-mismatch',
      `The downloaded binary says "${said || 'nothing'}" to --version, expected XMRig ${opts.expectedVersion}. Refused.`,
      { expected: opts.expectedVersion, got: result.version },
    );
  }
  return firstLine(result.output);
}
