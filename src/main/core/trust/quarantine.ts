// What to tell the user when a trusted miner binary vanished or may not be executed at start time:
// security software often quarantines miners. HashDeck never changes security settings; it says how to.
import path from 'node:path';
import process from 'node:process';
import type { TrustedBinary } from '../../../shared/contract';

/** Spawn errors that mean "the file is gone or may not run", the marks of a quarantine or a block. */
export const QUARANTINE_ERRNOS: ReadonlySet<string> = new Set(['ENOENT', 'EACCES', 'EPERM']);

const NAMES = { xmrig: 'XMRig', ttminer: 'TT-Miner' } as const;

type Entry = Pick<TrustedBinary, 'minerType' | 'path' | 'source' | 'version'>;

function describe(entry: Entry): string {
  const name = NAMES[entry.minerType];
  const version = entry.version ? ` ${entry.version}` : '';
  return entry.source === 'installed'
    ? `The ${name}${version} binary HashDeck installed and verified at ${entry.path}`
    : `The trusted ${name}${version} binary at ${entry.path}`;
}

/** How to get a working binary back: install again (ours) or register it again (the user's). */
function redo(entry: Entry): string {
  if (entry.source === 'installed') {
    return `or install ${NAMES[entry.minerType]}${entry.version ? ` ${entry.version}` : ''} again (Install XMRig; headless: \`npm run headless -- install xmrig\`)`;
  }
  return 'then register it again (desktop: "Choose binary…"; headless: `npm run headless -- trust add PATH`)';
}

/** Where the user looks and what they can allow, per platform; never done by HashDeck. */
export function exclusionSteps(folder: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    return `open Windows Security → Virus & threat protection → Protection history to restore it, and add an exclusion for ${folder} under Manage settings → Exclusions`;
  }
  if (platform === 'darwin') {
    return `check your antivirus's quarantine and allow ${folder}, or allow the binary in System Settings → Privacy & Security`;
  }
  return `check your antivirus's quarantine and add an exclusion for ${folder} (the folder must also not be on a noexec mount)`;
}

/** The advice appended to every "gone" or "may not run" error of a trusted binary. */
export function quarantineHint(entry: Entry, platform: NodeJS.Platform = process.platform): string {
  const folder = path.dirname(entry.path);
  const restore = entry.source === 'installed' ? ', ' : '; ';
  return (
    'Security software often quarantines or blocks crypto miners, even verified ones; HashDeck never changes ' +
    `security settings. If you trust this file, ${exclusionSteps(folder, platform)} yourself${restore}${redo(entry)}.`
  );
}

/** The trusted binary is no longer there (checked before spawning, or ENOENT at spawn). */
export function vanishedMessage(entry: Entry, platform?: NodeJS.Platform): string {
  return `${describe(entry)} is gone. ${quarantineHint(entry, platform)}`;
}

/** The spawn of a trusted binary failed with EACCES/EPERM (or ENOENT after the check). */
export function blockedMessage(entry: Entry, errno: string, platform?: NodeJS.Platform): string {
  if (errno === 'ENOENT') return vanishedMessage(entry, platform);
  return `${describe(entry)} may not be executed (${errno}). ${quarantineHint(entry, platform)}`;
}
