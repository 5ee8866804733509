// Reads a SHA256SUMS file (`<64 hex>  <name>` or `<64 hex> *<name>` per line, as sha256sum writes it)
// and finds an asset's expected hash; a name listed twice with different hashes is refused outright.
import { InstallError } from './errors';

const LINE = /^([0-9a-fA-F]{64}) [ *](.+)$/;

export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    // Blank lines, `#` comments and anything else that is not `<hash> <name>` fail this match and are skipped.
    const m = LINE.exec(line);
    if (!m?.[1] || !m[2]) continue;
    const hash = m[1].toLowerCase();
    const name = m[2].replace(/^\.\//, '');
    const seen = sums.get(name);
    if (seen !== undefined && seen !== hash) {
      throw new InstallError(
        'VERIFICATION_FAILED',
        'checksum-mismatch',
        `SHA256SUMS lists ${name} twice with different hashes. Refused.`,
      );
    }
    sums.set(name, hash);
  }
  return sums;
}

export function expectedSha256(sums: Map<string, string>, assetName: string): string {
  const hash = sums.get(assetName);
  if (hash === undefined) {
    throw new InstallError(
      'VERIFICATION_FAILED',
      'missing-checksum',
      `The signed SHA256SUMS has no line for ${assetName}, so it cannot be verified. Refused.`,
      { asset: assetName },
    );
  }
  return hash;
}
