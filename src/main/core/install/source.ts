// Where XMRig releases come from: GitHub's release API, each asset's download URL and the pinned key.
// Only the local user may change these (a CLI flag or an environment variable read by the entry points),
// never the API or the renderer, or a token holder could point the installer at a server of their own.
//
//   HASHDECK_XMRIG_RELEASES_URL       release list JSON (GitHub API shape); default: XMRig's GitHub releases
//   HASHDECK_XMRIG_DOWNLOAD_BASE_URL  assets are fetched from <base>/<tag>/<asset name> instead of the
//                                     browser_download_url of the release list (a mirror)
//   HASHDECK_XMRIG_KEY_FILE           armored OpenPGP public key that must have signed SHA256SUMS
//   HASHDECK_XMRIG_KEY_FINGERPRINT    optional: the fingerprint that key must have (checked at load)
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { InstallError } from './errors';
import { XMRIG_KEY_FINGERPRINT, XMRIG_SIGNING_KEY } from './pinned-key';
import { checkUrl } from './url-policy';

export const XMRIG_RELEASES_URL = 'https://api.github.com/repos/xmrig/xmrig/releases?per_page=100';

export const INSTALL_ENV = {
  releasesUrl: 'HASHDECK_XMRIG_RELEASES_URL',
  downloadBaseUrl: 'HASHDECK_XMRIG_DOWNLOAD_BASE_URL',
  keyFile: 'HASHDECK_XMRIG_KEY_FILE',
  keyFingerprint: 'HASHDECK_XMRIG_KEY_FINGERPRINT',
} as const;

export interface InstallSource {
  releasesUrl: string;
  /** null: each asset's own browser_download_url from the release list. */
  downloadBaseUrl: string | null;
  /** Armored public key; `fingerprint` (lowercase hex) is checked when the key is loaded, when given. */
  key: { armored: string; fingerprint: string | null };
}

/** The overrides a local entry point may pass (from its command-line flags); they win over the environment. */
export interface InstallSourceOverrides {
  releasesUrl?: string;
  downloadBaseUrl?: string;
  keyFile?: string;
  keyFingerprint?: string;
}

export const DEFAULT_INSTALL_SOURCE: InstallSource = {
  releasesUrl: XMRIG_RELEASES_URL,
  downloadBaseUrl: null,
  key: { armored: XMRIG_SIGNING_KEY, fingerprint: XMRIG_KEY_FINGERPRINT },
};

export function normalizeFingerprint(raw: string): string {
  return raw.replace(/\s/g, '').toLowerCase();
}

/**
 * The install source for this run: flags first, then HASHDECK_XMRIG_* variables, then XMRig's GitHub and
 * the pinned key. Call it only from an entry point (CLI, Electron main), with the local user's input.
 */
export async function resolveInstallSource(
  overrides: InstallSourceOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<InstallSource> {
  const pick = (flag: string | undefined, name: string) => flag || env[name] || undefined;
  const releasesUrl = pick(overrides.releasesUrl, INSTALL_ENV.releasesUrl);
  const downloadBaseUrl = pick(overrides.downloadBaseUrl, INSTALL_ENV.downloadBaseUrl);
  const keyFile = pick(overrides.keyFile, INSTALL_ENV.keyFile);
  const fingerprint = pick(overrides.keyFingerprint, INSTALL_ENV.keyFingerprint);
  if (releasesUrl) checkUrl(releasesUrl, INSTALL_ENV.releasesUrl);
  if (downloadBaseUrl) checkUrl(downloadBaseUrl, INSTALL_ENV.downloadBaseUrl);

  let key = DEFAULT_INSTALL_SOURCE.key;
  if (keyFile) {
    let armored: string;
    try {
      armored = await readFile(keyFile, 'utf8');
    } catch (err) {
      throw new InstallError(
        'INVALID_INPUT',
        'bad-key',
        `Cannot read the signing key file ${keyFile} (${INSTALL_ENV.keyFile}): ${(err as Error).message}`,
      );
    }
    key = { armored, fingerprint: fingerprint ? normalizeFingerprint(fingerprint) : null };
  } else if (fingerprint) {
    throw new InstallError(
      'INVALID_INPUT',
      'bad-key',
      `${INSTALL_ENV.keyFingerprint} needs ${INSTALL_ENV.keyFile}: the pinned XMRig key cannot be swapped by fingerprint alone`,
    );
  }
  return {
    releasesUrl: releasesUrl ?? DEFAULT_INSTALL_SOURCE.releasesUrl,
    downloadBaseUrl: downloadBaseUrl ? downloadBaseUrl.replace(/\/+$/, '') : null,
    key,
  };
}
