// The command-line flags that point the XMRig installer at another release source (a mirror, a test
// server on loopback) or another signing key: local-only, shared by `serve` and `install`.
import type { InstallSourceOverrides } from '../service/install-source';

export const INSTALL_FLAG_OPTIONS = {
  'xmrig-releases-url': { type: 'string' },
  'xmrig-download-base-url': { type: 'string' },
  'xmrig-key-file': { type: 'string' },
  'xmrig-key-fingerprint': { type: 'string' },
} as const;

export const INSTALL_FLAGS_USAGE = `  --xmrig-releases-url URL       XMRig release list (GitHub API JSON); env HASHDECK_XMRIG_RELEASES_URL
  --xmrig-download-base-url URL  fetch assets from URL/<tag>/<asset> (a mirror); env HASHDECK_XMRIG_DOWNLOAD_BASE_URL
  --xmrig-key-file FILE          armored OpenPGP key that must sign SHA256SUMS instead of XMRig's pinned key;
                                 env HASHDECK_XMRIG_KEY_FILE
  --xmrig-key-fingerprint HEX    the fingerprint that key must have; env HASHDECK_XMRIG_KEY_FINGERPRINT
                                 (URLs must be https, or http on loopback)`;

type FlagValues = { [K in keyof typeof INSTALL_FLAG_OPTIONS]?: string | undefined };

export function installOverrides(values: FlagValues): InstallSourceOverrides {
  const out: InstallSourceOverrides = {};
  if (values['xmrig-releases-url']) out.releasesUrl = values['xmrig-releases-url'];
  if (values['xmrig-download-base-url']) out.downloadBaseUrl = values['xmrig-download-base-url'];
  if (values['xmrig-key-file']) out.keyFile = values['xmrig-key-file'];
  if (values['xmrig-key-fingerprint']) out.keyFingerprint = values['xmrig-key-fingerprint'];
  return out;
}
