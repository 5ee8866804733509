// Decides whether `npm start` / `npm run dev` can launch Electron: the binary is there, or electron's own
// installer fetches it; offline, it explains that the desktop app needs it and `npm run headless` does not.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The electron package folder, or null when the package itself is not installed. */
export function electronPackageDir() {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * The binary the electron package would launch, found the same way its index.js does (path.txt, then
 * dist/ or ELECTRON_OVERRIDE_DIST_PATH); null when it is not on disk.
 */
export function electronBinaryPath(packageDir, env = process.env) {
  if (packageDir === null) return null;
  let relative;
  try {
    relative = readFileSync(join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  if (!relative) return null;
  const base = env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist');
  const binary = join(base, relative);
  return existsSync(binary) ? binary : null;
}

/** First non-empty line of an error or of an installer's output, for a one-line explanation. */
export function firstLine(text) {
  const line = String(text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return line ?? 'unknown error';
}

/**
 * Runs `node <electron>/install.js`; stdout is inherited, stderr is shown live and kept so the first
 * line of a failure can be repeated in the summary. Resolves to { ok: true } or { ok: false, error }.
 */
export function runElectronInstaller(packageDir) {
  return new Promise((resolve) => {
    if (packageDir === null) {
      resolve({ ok: false, error: 'the electron package is not installed (run npm install)' });
      return;
    }
    let stderr = '';
    const child = spawn(process.execPath, [join(packageDir, 'install.js')], {
      cwd: packageDir,
      stdio: ['inherit', 'inherit', 'pipe'],
    });
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      if (stderr.length < 64 * 1024) stderr += chunk.toString();
    });
    child.on('error', (err) => resolve({ ok: false, error: firstLine(err.message) }));
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ ok: true });
      else
        resolve({
          ok: false,
          error: stderr.trim() ? firstLine(stderr) : `installer exited with ${signal ?? `code ${code}`}`,
        });
    });
  });
}

export function missingBinaryMessage(error) {
  return [
    '',
    'HashDeck: the desktop app needs the Electron binary, and it could not be downloaded.',
    `  Reason: ${firstLine(error)}`,
    '',
    '  Without it you can still run HashDeck:',
    '    npm run headless   serves the same UI to your browser on loopback (no Electron needed)',
    '',
    '  To get the desktop app, run `npm start` again once this machine is online',
    '  (or install Electron from a local mirror: see ELECTRON_MIRROR in the electron docs).',
    '',
  ].join('\n');
}

/**
 * The whole decision, with the world injected: `exists()` says whether the binary is on disk,
 * `runInstaller()` tries to fetch it. Returns the process exit code (0: go ahead, 1: cannot launch).
 */
export async function ensureElectron({ exists, runInstaller, log = console.log, error = console.error }) {
  if (exists()) return 0;
  log('HashDeck: the Electron binary is missing; running its installer...');
  let result;
  try {
    result = await runInstaller();
  } catch (err) {
    result = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  if (result.ok && exists()) return 0;
  const reason = result.ok
    ? 'the installer finished but no binary appeared (is ELECTRON_SKIP_BINARY_DOWNLOAD set?)'
    : result.error;
  error(missingBinaryMessage(reason));
  return 1;
}
