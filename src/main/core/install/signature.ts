// OpenPGP checks with a pinned key: load the key and check its fingerprint, then verify a detached
// signature (armored or binary) over SHA256SUMS, telling "signed by another key" from "changed after signing".
import * as openpgp from 'openpgp';
import { InstallError } from './errors';

export interface PinnedKey {
  key: openpgp.PublicKey;
  /** Lowercase hex of the primary key. */
  fingerprint: string;
  /** Lowercase hex key ids of the primary key and its subkeys (a subkey may be the signing one). */
  keyIds: string[];
}

/** Reads the armored key, drops any private part and checks its fingerprint when one is expected. */
export async function loadPinnedKey(armored: string, expectedFingerprint: string | null): Promise<PinnedKey> {
  let key: openpgp.PublicKey;
  try {
    const read = await openpgp.readKey({ armoredKey: armored });
    key = read.isPrivate() ? read.toPublic() : (read as openpgp.PublicKey);
  } catch (err) {
    throw new InstallError(
      'INTERNAL',
      'bad-key',
      `The pinned XMRig signing key cannot be read: ${(err as Error).message}`,
    );
  }
  const fingerprint = key.getFingerprint().toLowerCase();
  if (expectedFingerprint !== null && fingerprint !== expectedFingerprint) {
    throw new InstallError(
      'INTERNAL',
      'bad-key',
      `The pinned XMRig signing key has fingerprint ${fingerprint}, expected ${expectedFingerprint}`,
      { fingerprint, expected: expectedFingerprint },
    );
  }
  return { key, fingerprint, keyIds: key.getKeyIDs().map((id) => id.toHex().toLowerCase()) };
}

async function readSignature(bytes: Uint8Array): Promise<openpgp.Signature> {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1').trimStart();
  try {
    if (head.startsWith('-----BEGIN PGP SIGNATURE-----')) {
      return await openpgp.readSignature({ armoredSignature: Buffer.from(bytes).toString('utf8') });
    }
    return await openpgp.readSignature({ binarySignature: bytes });
  } catch (err) {
    throw new InstallError(
      'VERIFICATION_FAILED',
      'bad-signature',
      `SHA256SUMS.sig is not an OpenPGP signature: ${(err as Error).message}`,
    );
  }
}

/**
 * Resolves when `signature` is a valid signature of `data` by the pinned key; otherwise throws
 * `wrong-key` (made by another key) or `bad-signature` (data changed after signing, or unreadable).
 */
export async function verifyDetached(
  data: Uint8Array,
  signatureBytes: Uint8Array,
  pinned: PinnedKey,
  what = 'SHA256SUMS',
): Promise<{ keyId: string }> {
  const signature = await readSignature(signatureBytes);
  const message = await openpgp.createMessage({ binary: data });
  // Stryker disable next-line StringLiteral: equivalent, the format only shapes the returned data, which is not used
  const result = await openpgp.verify({ message, signature, verificationKeys: pinned.key, format: 'binary' });
  if (result.signatures.length === 0) {
    throw new InstallError('VERIFICATION_FAILED', 'bad-signature', `${what}.sig holds no signature`);
  }
  const foreign: string[] = [];
  let lastError = '';
  for (const sig of result.signatures) {
    const keyId = sig.keyID.toHex().toLowerCase();
    if (!pinned.keyIds.includes(keyId)) {
      foreign.push(keyId);
      continue;
    }
    try {
      await sig.verified;
      return { keyId };
    } catch (err) {
      lastError = (err as Error).message;
    }
  }
  if (lastError) {
    throw new InstallError(
      'VERIFICATION_FAILED',
      'bad-signature',
      `${what} does not match its signature by XMRig's key (${lastError}): it was changed after signing. Refused.`,
    );
  }
  throw new InstallError(
    'VERIFICATION_FAILED',
    'wrong-key',
    `${what} was signed by key ${foreign.join(', ')}, not by XMRig's key ${pinned.fingerprint}. Refused.`,
    { signedBy: foreign, expected: pinned.fingerprint },
  );
}
