// OpenPGP keys made in the test (fast curve25519), and detached signatures of SHA256SUMS like XMRig's.
import * as openpgp from 'openpgp';

export interface TestKey {
  armoredPublic: string;
  fingerprint: string;
  privateKey: openpgp.PrivateKey;
}

export async function makeTestKey(name = 'HashDeck test release key'): Promise<TestKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name, email: 'release@example.invalid' }],
    format: 'object',
  });
  return { armoredPublic: publicKey.armor(), fingerprint: publicKey.getFingerprint(), privateKey };
}

export async function signDetached(
  data: Uint8Array,
  key: TestKey,
  opts: { armored?: boolean; text?: boolean } = {},
): Promise<Buffer> {
  const message = opts.text
    ? await openpgp.createMessage({ text: Buffer.from(data).toString('utf8') })
    : await openpgp.createMessage({ binary: data });
  if (opts.armored) {
    const sig = await openpgp.sign({
      message,
      signingKeys: key.privateKey,
      detached: true,
      format: 'armored',
    });
    return Buffer.from(sig);
  }
  const sig = await openpgp.sign({ message, signingKeys: key.privateKey, detached: true, format: 'binary' });
  return Buffer.from(sig);
}
