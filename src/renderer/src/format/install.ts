// Words for installs: each phase as a sentence, sizes and speeds, and every failure reason as what
// happened plus what the user can do about it (the server's own message is shown next to it).
import type { InstallPhase, InstallStatus, ReleaseStatus } from '../../../shared/contract';
import type { ErrorPayload } from '../../../shared/errors';
import { formatClock } from './time';

export const PHASE_TEXT: Record<InstallPhase, string> = {
  resolving: 'Reading the list of XMRig releases',
  'verifying-signature': 'Checking the signature on XMRig’s checksums',
  downloading: 'Downloading',
  'verifying-archive': 'Checking the download against its signed checksum',
  extracting: 'Unpacking',
  'checking-binary': 'Checking that the miner runs',
  activating: 'Making it ready to use',
  done: 'Installed',
};

/**
 * Each phase's place in an install (the Record makes the compiler check it names every phase the
 * contract has; importing the contract's array would pull zod into the dashboard's chunk).
 */
export const PHASE_ORDER: Record<InstallPhase, number> = {
  resolving: 0,
  'verifying-signature': 1,
  downloading: 2,
  'verifying-archive': 3,
  extracting: 4,
  'checking-binary': 5,
  activating: 6,
  done: 7,
};

/** The steps a user sees counted ("step 3 of 7"); `done` is the end, not a step. */
export const COUNTED_PHASES = PHASE_ORDER.done;

const SIZE_UNITS = ['B', 'kB', 'MB', 'GB'] as const;

/** 1,536 → "1.5 kB"; 12,345,678 → "11.8 MB" (binary multiples, as browsers show downloads). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${SIZE_UNITS[unit]}`;
}

/** "3.2 MB of 6.1 MB · 52 % · 1.4 MB/s", or what is known of it. */
export function progressNumbers(
  s: Pick<InstallStatus, 'bytes' | 'total' | 'percent' | 'bytesPerSecond'>,
): string {
  const parts = [
    s.total !== null ? `${formatBytes(s.bytes)} of ${formatBytes(s.total)}` : formatBytes(s.bytes),
  ];
  if (s.percent !== null) parts.push(`${Math.floor(s.percent)} %`);
  if (s.bytesPerSecond > 0) parts.push(`${formatBytes(s.bytesPerSecond)}/s`);
  return parts.join(' · ');
}

export const RELEASE_STATUS_TEXT: Record<ReleaseStatus, string> = {
  tested: 'tested with HashDeck',
  'newer-untested': 'newer, not yet tested with HashDeck',
  'older-untested': 'older, not tested with HashDeck',
};

export interface FailureText {
  /** What happened, as a sentence. */
  headline: string;
  /** What to do about it, when the server's message does not say it already. */
  advice: string | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The closed `details.reason` of an install or update-check error, or null. */
export function failureReason(error: Pick<ErrorPayload, 'details'> | null | undefined): string | null {
  const reason = isRecord(error?.details) ? error.details.reason : undefined;
  return typeof reason === 'string' ? reason : null;
}

/** When a rate limit ends, as "14:05 (in 12 min)"; null when the server did not say. */
export function rateLimitReset(error: Pick<ErrorPayload, 'details'>, now: number): string | null {
  const resetAt = isRecord(error.details) ? error.details.resetAt : undefined;
  if (typeof resetAt !== 'number' || !Number.isFinite(resetAt)) return null;
  const minutes = Math.max(1, Math.ceil((resetAt - now) / 60_000));
  return `${formatClock(resetAt, false)} (in ${minutes} min)`;
}

const VERIFICATION = new Set([
  'bad-key',
  'missing-checksums',
  'bad-signature',
  'wrong-key',
  'missing-checksum',
  'checksum-mismatch',
  'too-large',
]);
const BAD_ARCHIVE = new Set(['unsafe-archive', 'corrupt-archive', 'no-binary']);
const BAD_VERSION = new Set(['version-check-failed', 'version-mismatch']);
const BAD_RELEASE = new Set(['bad-url', 'bad-release-list', 'http-status']);

/**
 * What went wrong with an install (`what: 'install'`) or an update check (`'check'`), in the user's
 * terms. `now` places a rate limit's reset time.
 */
export function failureText(
  error: Pick<ErrorPayload, 'code' | 'details'>,
  what: 'install' | 'check',
  now: number,
): FailureText {
  const reason = failureReason(error);
  const doing = what === 'install' ? 'download XMRig' : 'check for XMRig updates';
  const nothing = what === 'install' ? ' Nothing was installed.' : '';
  if (reason === 'offline') {
    return {
      headline: `HashDeck could not reach GitHub to ${doing}.`,
      advice: 'Check this computer’s internet connection (or proxy), then try again.',
    };
  }
  if (reason === 'rate-limited') {
    const reset = rateLimitReset(error, now);
    return {
      headline: `GitHub is limiting how often this network may ask for releases, so HashDeck could not ${doing}.`,
      advice: reset ? `Try again after ${reset}.` : 'Try again in an hour.',
    };
  }
  if (reason === 'timeout' || reason === 'interrupted') {
    return {
      headline: `The connection to GitHub stalled or broke.${nothing}`,
      advice: 'Check the connection and try again.',
    };
  }
  if (reason !== null && BAD_RELEASE.has(reason)) {
    return { headline: `GitHub did not answer as expected.${nothing}`, advice: 'Try again later.' };
  }
  if (reason !== null && VERIFICATION.has(reason)) {
    return {
      headline:
        'Verification failed: the download does not match XMRig’s signed checksums, so HashDeck deleted it and installed nothing.',
      advice:
        'A damaged download or a tampered copy does this. Try again later; if it keeps failing, report it to the HashDeck project.',
    };
  }
  if (reason !== null && BAD_ARCHIVE.has(reason)) {
    return {
      headline: 'The downloaded archive was refused (damaged or unsafe); nothing was installed.',
      advice: 'Try again later.',
    };
  }
  if (reason !== null && BAD_VERSION.has(reason)) {
    return {
      headline: 'The downloaded XMRig did not run as expected, so it was not installed.',
      advice: 'Try again; if it keeps failing, choose a binary you trust instead.',
    };
  }
  if (reason === 'quarantined') {
    // The server's message carries the exclusion steps for this platform and folder.
    return {
      headline: 'Security software blocked or removed XMRig right after HashDeck verified it.',
      advice: null,
    };
  }
  if (reason === 'storage') {
    return {
      headline: `HashDeck could not write to its data folder.${nothing}`,
      advice: 'Free some disk space or check the folder’s permissions, then try again.',
    };
  }
  if (reason === 'cancelled' || error.code === 'CANCELLED') {
    return { headline: 'Install cancelled; nothing was installed.', advice: null };
  }
  if (reason === 'busy') return { headline: 'An XMRig install is running already.', advice: null };
  if (reason === 'no-release' || reason === 'no-asset') {
    return {
      headline: 'XMRig publishes no build for this computer in that release.',
      advice: 'Choose a binary you trust instead.',
    };
  }
  return {
    headline: what === 'install' ? 'Installing XMRig failed.' : 'Checking for updates failed.',
    advice: null,
  };
}

/** Where the user looks to restore a quarantined file, by the platform the page runs on. */
export function quarantineSteps(folder: string, platform: string): string {
  if (/win/i.test(platform) && !/darwin/i.test(platform)) {
    return `open Windows Security → Virus & threat protection → Protection history to restore it, and add an exclusion for ${folder} under Manage settings → Exclusions`;
  }
  if (/mac/i.test(platform)) {
    return `check your antivirus’s quarantine and allow ${folder}, or allow the binary in System Settings → Privacy & Security`;
  }
  return `check your antivirus’s quarantine and add an exclusion for ${folder}`;
}

/** The advice for a verified binary that vanished: never change security settings, say how to. */
export function quarantineAdvice(folder: string, version: string, platform: string): string {
  return (
    'Security software often quarantines or blocks crypto miners, even verified ones; HashDeck never ' +
    `changes security settings. If you trust this file, ${quarantineSteps(folder, platform)} yourself, ` +
    `or install XMRig ${version} again.`
  );
}

/** The platform the page runs on (a loopback browser runs on the same machine as HashDeck). */
export function pagePlatform(): string {
  if (typeof navigator === 'undefined') return '';
  const data = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData;
  return data?.platform || navigator.platform || navigator.userAgent;
}
