// Types for ensure-electron-lib.mjs, so the TypeScript test can import the plain-Node script.

export type InstallResult = { ok: true } | { ok: false; error: string };

export interface EnsureElectronOptions {
  exists: () => boolean;
  runInstaller: () => Promise<InstallResult>;
  log?: (message: string) => void;
  error?: (message: string) => void;
}

export function electronPackageDir(): string | null;
export function electronBinaryPath(
  packageDir: string | null,
  env?: Record<string, string | undefined>,
): string | null;
export function firstLine(text: unknown): string;
export function runElectronInstaller(packageDir: string | null): Promise<InstallResult>;
export function missingBinaryMessage(error: string): string;
export function ensureElectron(options: EnsureElectronOptions): Promise<0 | 1>;
