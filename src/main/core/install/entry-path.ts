// Decides whether an archive entry name stays inside the extraction folder. Anything that could escape
// (`..`, absolute paths, drive letters, colons, NUL) is refused, never silently rewritten.
import { InstallError } from './errors';

export function unsafeEntry(name: string, why: string): InstallError {
  return new InstallError(
    'VERIFICATION_FAILED',
    'unsafe-archive',
    `The archive holds an entry that would escape its folder (${why}: ${JSON.stringify(name)}). Refused.`,
    { entry: name },
  );
}

/**
 * Returns the entry's path segments relative to the extraction folder ([] for the folder itself).
 * Backslashes count as separators, as they do when the archive is extracted on Windows.
 */
export function safeEntrySegments(name: string): string[] {
  if (name.includes('\0')) throw unsafeEntry(name, 'NUL byte');
  const unified = name.replace(/\\/g, '/');
  if (unified.startsWith('/')) throw unsafeEntry(name, 'absolute path');
  if (/^[a-zA-Z]:/.test(unified)) throw unsafeEntry(name, 'drive letter');
  // A colon elsewhere is an NTFS alternate data stream or a device path on Windows.
  if (unified.includes(':')) throw unsafeEntry(name, 'colon');
  const segments = unified.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw unsafeEntry(name, 'parent folder');
  return segments;
}
