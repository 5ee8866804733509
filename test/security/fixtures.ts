// Attack fixtures for the trust-boundary suite: a program that must never run (it leaves a marker if
// it does), trusted fake miners with a tell-tale preamble, and a miner that daemonises.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const FAKES = resolve(import.meta.dirname, '../fakes');

/** An executable that writes `marker` when run: its absence proves the attack executed nothing. */
export async function forbiddenProgram(dir: string, name: string, marker: string): Promise<string> {
  const file = join(dir, name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    file,
    `#!/usr/bin/env node\nrequire('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`,
    { mode: 0o755 },
  );
  return file;
}

/** An executable fake miner (`xmrig` or `ttminer`) with `env` tuning and an optional preamble. */
export async function fakeMiner(
  dir: string,
  name: string,
  kind: 'xmrig' | 'ttminer',
  env: Record<string, string> = {},
  preamble = '',
): Promise<string> {
  const file = join(dir, name);
  await mkdir(dir, { recursive: true });
  const target = pathToFileURL(join(FAKES, kind === 'xmrig' ? 'fake-xmrig.mjs' : 'fake-ttminer.mjs')).href;
  await writeFile(
    file,
    [
      '#!/usr/bin/env node',
      `Object.assign(process.env, ${JSON.stringify({ FAKE_WARMUP_MS: '100', ...env })});`,
      preamble,
      `await import(${JSON.stringify(target)});`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return file;
}

/**
 * Behaves like `xmrig --background`: forks a copy that leaves the process group (setsid) and keeps
 * running, prints its pid, and the leader exits 0 at once, as XMRig's daemonising parent does.
 */
export async function daemonisingMiner(dir: string): Promise<string> {
  const file = join(dir, 'daemonising-xmrig.cjs');
  await mkdir(dir, { recursive: true });
  await writeFile(
    file,
    [
      '#!/usr/bin/env node',
      "const { spawn } = require('node:child_process');",
      "if (process.argv.includes('--version')) { console.log('XMRig 6.26.0'); process.exit(0); }",
      "const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });",
      "console.log('daemon pid ' + child.pid);",
      'child.unref();',
      // Stay a moment so the manager sees a started process, then exit like a daemonising parent.
      'setTimeout(() => process.exit(0), 600);',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return file;
}
