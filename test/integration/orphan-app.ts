// A stand-in for the app that dies hard: a real manager (createManager, pid files on) starts the named
// XMRig miners, prints `{"<name>":{"pid":N,"child":M},...}` once each forked its child and its pid file is
// written, then idles until the test SIGKILLs it.
// Run with: node --import tsx test/integration/orphan-app.ts WORK_ROOT MINERS_DIR BINARY NAME...
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createManager } from '../../src/main/core/create-manager';
import { PID_FILE } from '../../src/main/core/orphans';

const [workRoot, minersDir, binaryPath, ...names] = process.argv.slice(2);
if (!workRoot || !minersDir || !binaryPath || names.length === 0) {
  console.error('usage: orphan-app.ts WORK_ROOT MINERS_DIR BINARY NAME...');
  process.exit(2);
}

// The stand-in app trusts exactly the binary it was given (the real app resolves it from its trust store).
void minersDir;
const manager = createManager({
  workRoot,
  pidFiles: true,
  startGraceMs: 300,
  resolveBinary: async () => ({ id: 'orphan-test', path: binaryPath, version: null }),
});
const snaps = await Promise.all(
  names.map((name) =>
    manager.start({
      name,
      minerType: 'xmrig',
      config: { pool: 'stratum+tcp://127.0.0.1:3333', wallet: 'orphan-wallet' },
    }),
  ),
);
// Generous: on a loaded machine a Node fake can take many seconds to fork its child.
const deadline = Date.now() + 90_000;
const found: Record<string, { pid: number; child: number }> = {};
while (Object.keys(found).length < snaps.length) {
  for (const snap of snaps) {
    const line = manager.getLogs(snap.id).find((l) => /^child pid \d+$/.test(l.text));
    if (line && existsSync(join(workRoot, snap.id, PID_FILE))) {
      found[snap.id] = { pid: snap.pid!, child: Number(line.text.split(' ')[2]) };
    }
  }
  if (Date.now() > deadline) {
    console.error('the miners did not report their children in time');
    process.exit(3);
  }
  await new Promise((r) => setTimeout(r, 25));
}
process.stdout.write(`${JSON.stringify(found)}\n`);
setInterval(() => {}, 1000); // idle until killed
