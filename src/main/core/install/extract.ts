// Picks the extractor by the archive's name (XMRig ships .tar.gz for Linux/macOS and .zip for Windows)
// and applies the installer's default limits.
import { InstallError } from './errors';
import { extractTarGz } from './extract-tar';
import type { ExtractLimits, ExtractedFile } from './extract-types';
import { extractZip } from './extract-zip';

export type { ExtractLimits, ExtractedFile } from './extract-types';

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = {
  maxEntries: 10_000,
  // Real XMRig archives unpack to ~10 MB; this leaves room without letting a bomb fill the disk.
  maxTotalBytes: 512 * 1024 * 1024,
};

export type ArchiveFormat = 'tar.gz' | 'zip';

export function archiveFormat(name: string): ArchiveFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.zip')) return 'zip';
  return null;
}

export async function extractArchive(
  archive: string,
  format: ArchiveFormat,
  target: string,
  limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS,
  signal?: AbortSignal,
): Promise<ExtractedFile[]> {
  if (format === 'tar.gz') return extractTarGz(archive, target, limits, signal);
  if (format === 'zip') return extractZip(archive, target, limits, signal);
  throw new InstallError('UNSUPPORTED', 'no-asset', `Unsupported archive format: ${String(format)}`);
}
