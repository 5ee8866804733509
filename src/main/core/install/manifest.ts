// The record an install leaves in its version folder (what was downloaded, from where, its hashes and the
// key that signed it), written before the folder becomes current and validated when read back.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const MANIFEST_FILE = '.hashdeck-install.json';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestSchema = z.object({
  minerType: z.literal('xmrig'),
  version: z.string(),
  /** The binary's file name inside the version folder. */
  binary: z.string().regex(/^[^/\\]+$/),
  sha256: hex64,
  size: z.number().int().nonnegative(),
  archive: z.object({
    name: z.string(),
    url: z.string(),
    sha256: hex64,
    size: z.number().int().nonnegative(),
  }),
  /** Fingerprint of the key whose signature of SHA256SUMS was checked. */
  signedBy: z.string(),
  installedAt: z.string(),
});

export type InstallManifest = z.infer<typeof manifestSchema>;

export async function writeManifest(dir: string, manifest: InstallManifest): Promise<void> {
  await writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o644 });
}

/** The manifest of a version folder, or null when it is missing or not ours (a hand-copied XMRig). */
export async function readManifest(dir: string): Promise<InstallManifest | null> {
  try {
    const text = (await readFile(path.join(dir, MANIFEST_FILE))).toString();
    const parsed = manifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    // Missing, unreadable or not JSON.
    return null;
  }
}
