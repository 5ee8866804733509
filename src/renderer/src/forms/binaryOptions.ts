// The binary choices of a profile: "the default" (named by what it runs now) and every trusted binary of
// the type, described by version, path and where it came from; a chosen binary that is no longer
// trusted stays listed so nothing changes silently.
import type { TrustedBinary } from '../../../shared/contract';
import { MINER_TYPE_LABELS } from '../format/minerType';
import type { BinaryMinerType } from '../store/binaryProblem';

export function describeBinary(b: TrustedBinary): string {
  const version = b.version ? ` ${b.version}` : '';
  const source = b.source === 'installed' ? 'installed, verified' : 'chosen by you';
  return `${MINER_TYPE_LABELS[b.minerType]}${version} · ${b.path} (${source})`;
}

function versionParts(v: string | null): number[] {
  return (v ?? '')
    .replace(/^v/, '')
    .split('.')
    .map((n) => Number.parseInt(n, 10) || 0);
}

function compareVersions(a: string | null, b: string | null): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * What a start without a chosen binary runs: the main process's answer when known (`defaultBinaryId`),
 * else its rule: the newest version HashDeck installed, else the binary the user chose last.
 */
export function defaultBinary(
  binaries: readonly TrustedBinary[],
  defaultBinaryId: string | null | undefined,
): TrustedBinary | null {
  const named = defaultBinaryId ? binaries.find((b) => b.id === defaultBinaryId) : undefined;
  if (named) return named;
  const installed = binaries.filter((b) => b.source === 'installed');
  if (installed.length > 0)
    return [...installed].sort((a, b) => compareVersions(b.version, a.version))[0] ?? null;
  return [...binaries].sort((a, b) => b.addedAt - a.addedAt)[0] ?? null;
}

export interface BinaryOption {
  value: string;
  label: string;
}

export function binaryOptions(
  minerType: BinaryMinerType,
  all: readonly TrustedBinary[],
  defaultBinaryId: string | null | undefined,
  value: string,
): BinaryOption[] {
  const binaries = all.filter((b) => b.minerType === minerType);
  // Only XMRig has installs, so the list's default applies to it alone.
  const fallback = defaultBinary(binaries, minerType === 'xmrig' ? defaultBinaryId : null);
  const follows = fallback?.source === 'installed' ? ', follows updates' : '';
  const options: BinaryOption[] = [
    {
      value: '',
      label: fallback
        ? `Default: ${describeBinary(fallback)}${follows}`
        : `No trusted ${MINER_TYPE_LABELS[minerType]} binary yet`,
    },
    ...binaries.map((b) => ({ value: b.id, label: describeBinary(b) })),
  ];
  if (value && !binaries.some((b) => b.id === value))
    options.push({ value, label: `${value} (no longer trusted)` });
  return options;
}
