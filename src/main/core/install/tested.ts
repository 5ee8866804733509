// The XMRig versions HashDeck was tested against (their behaviour is captured in test/data): the default
// install picks the newest of these in the release list; newer ones are offered, marked as untested.
import type { ReleaseStatus } from '../../../shared/installs';
import { InstallError } from './errors';
import type { XmrigRelease } from './releases';
import { compareVersionStrings } from './version-order';

export const TESTED_XMRIG_VERSIONS: readonly string[] = ['6.26.0'];

export const UNTESTED_NOTE = 'newer, not yet tested with HashDeck';

export function releaseStatus(
  version: string,
  tested: readonly string[] = TESTED_XMRIG_VERSIONS,
): ReleaseStatus {
  if (tested.includes(version)) return 'tested';
  return tested.some((t) => compareVersionStrings(version, t) < 0) ? 'older-untested' : 'newer-untested';
}

/** Newest tested version present in the list (releases are newest first); prereleases never. */
export function recommendedRelease(
  releases: readonly XmrigRelease[],
  tested: readonly string[] = TESTED_XMRIG_VERSIONS,
): XmrigRelease | null {
  return releases.find((r) => !r.prerelease && tested.includes(r.version)) ?? null;
}

export function requireRecommended(
  releases: readonly XmrigRelease[],
  tested: readonly string[] = TESTED_XMRIG_VERSIONS,
): XmrigRelease {
  const release = recommendedRelease(releases, tested);
  if (release) return release;
  throw new InstallError(
    'NOT_FOUND',
    'no-release',
    `None of the XMRig versions HashDeck was tested with (${tested.join(', ')}) is in the release list; choose a version explicitly.`,
    { tested: [...tested] },
  );
}
