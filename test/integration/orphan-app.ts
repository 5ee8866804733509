// A stand-in for the app that dies hard: a real manager (createManager, pid files on) starts one miner,
// prints `{"pid":N,"child":M}` once the miner forked its child and the pid file is written, then idles
// until the test SIGKILLs it. Run with: node --import tsx test/integration/orphan-app.ts WORK MINERS BINARY
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createManager } from '../../src/main/core/create-manager';
import { PID_FILE } from '../../src/main/core/orphans';

const [workRoot, minersDir, binaryPath] = process.argv.slice(2);
if (!workRoot || !minersDir || !binaryPath) {
  console.error('usage: orphan-app.ts WORK_ROOT MINERS_DIR BINARY');
  process.exit(2);
}

const manager = createManager({ workRoot, minersDir, pidFiles: true });
const snap = await manager.start({
  name: 'orphan',
  minerType: 'xmrig',
  config: { pool: 'stratum+tcp://127.0.0.1:3333', wallet: 'orphan-wallet', binaryPath },
});
const deadline = Date.now() + 15_000;
for (;;) {
  const line = manager.getLogs(snap.id).find((l) => /^child pid \d+$/.test(l.text));
  if (line && existsSync(join(workRoot, snap.id, PID_FILE))) {
    process.stdout.write(`${JSON.stringify({ pid: snap.pid, child: Number(line.text.split(' ')[2]) })}\n`);
    break;
  }
  if (Date.now() > deadline) {
    console.error('the miner did not report its child in time');
    process.exit(3);
  }
  await new Promise((r) => setTimeout(r, 25));
}
setInterval(() => {}, 1000); // idle until killed
