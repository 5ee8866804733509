// Plain "major.minor.patch" versions for the installer (folder names, release tags): strict parsing, so a
// version string can never carry a path, and numeric ordering (6.9.0 < 6.26.0).

const VERSION = /^v?(\d{1,6})\.(\d{1,6})\.(\d{1,6})$/;

/** The three numbers of a plain version, or null for anything else. */
function versionParts(raw: string): [number, number, number] | null {
  const m = VERSION.exec(raw);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** "6.26.0" for "6.26.0" or "v6.26.0"; null for anything else ("6.26.0-rc1", "../x", "latest"). */
export function normalizeVersion(raw: string): string | null {
  return versionParts(raw)?.join('.') ?? null;
}

/** Numeric order, part by part; anything that is not a version sorts as 0.0.0. */
export function compareVersionStrings(a: string, b: string): number {
  const [a0, a1, a2] = versionParts(a) ?? [0, 0, 0];
  const [b0, b1, b2] = versionParts(b) ?? [0, 0, 0];
  return a0 - b0 || a1 - b1 || a2 - b2;
}
