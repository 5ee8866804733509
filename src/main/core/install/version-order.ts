// Plain "major.minor.patch" versions for the installer (folder names, release tags): strict parsing, so a
// version string can never carry a path, and numeric ordering (6.9.0 < 6.26.0).

const VERSION = /^v?(\d{1,6})\.(\d{1,6})\.(\d{1,6})$/;

/** "6.26.0" for "6.26.0" or "v6.26.0"; null for anything else ("6.26.0-rc1", "../x", "latest"). */
export function normalizeVersion(raw: string): string | null {
  const m = VERSION.exec(raw);
  return m ? `${Number(m[1])}.${Number(m[2])}.${Number(m[3])}` : null;
}

export function compareVersionStrings(a: string, b: string): number {
  const pa = (normalizeVersion(a) ?? '0.0.0').split('.').map(Number);
  const pb = (normalizeVersion(b) ?? '0.0.0').split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
