// Who listens on a loopback TCP port: the miner we started, someone else, or nobody yet. The manager
// sends a miner's API anything only after this says 'miner', so a foreign listener learns nothing.
import { readdir, readFile, readlink } from 'node:fs/promises';
import { execa } from 'execa';

export type PortOwner = 'miner' | 'foreign' | 'none' | 'unknown';

/** Inodes of sockets listening on `port` (any address), from /proc/net/tcp and tcp6. */
export async function listeningInodes(port: number, procNet = '/proc/net'): Promise<string[]> {
  const inodes: string[] = [];
  for (const file of ['tcp', 'tcp6']) {
    const text = await readFile(`${procNet}/${file}`, 'latin1').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const local = cols[1];
      if (!local || cols[3] !== '0A') continue; // 0A = LISTEN
      const hexPort = local.slice(local.lastIndexOf(':') + 1);
      if (parseInt(hexPort, 16) === port && cols[9]) inodes.push(cols[9]);
    }
  }
  return inodes;
}

async function processSockets(pid: number): Promise<Set<string>> {
  const sockets = new Set<string>();
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  await Promise.all(
    fds.map(async (fd) => {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m?.[1]) sockets.add(m[1]);
    }),
  );
  return sockets;
}

/** Members of process group `pgid` (the miner and its children), from /proc. */
async function groupPids(pgid: number): Promise<number[]> {
  const pids: number[] = [];
  const entries = await readdir('/proc').catch(() => [] as string[]);
  await Promise.all(
    entries.map(async (name) => {
      if (!/^\d+$/.test(name)) return;
      const stat = await readFile(`/proc/${name}/stat`, 'latin1').catch(() => '');
      const close = stat.lastIndexOf(')');
      if (close >= 0 && Number(stat.slice(close + 2).split(' ')[2]) === pgid) pids.push(Number(name));
    }),
  );
  return pids;
}

export async function portOwner(
  port: number,
  minerPid: number,
  platform: NodeJS.Platform = process.platform,
): Promise<PortOwner> {
  if (platform === 'linux') {
    const inodes = await listeningInodes(port);
    if (inodes.length === 0) return 'none';
    // The miner leads its own process group (spawned detached), so the group is the miner's tree.
    for (const pid of await groupPids(minerPid)) {
      const sockets = await processSockets(pid);
      if (inodes.some((i) => sockets.has(i))) return 'miner';
    }
    return 'foreign';
  }
  if (platform === 'win32') {
    const r = await execa('netstat', ['-ano', '-p', 'TCP'], { reject: false, timeout: 5000 });
    const owners = String(r.stdout)
      .split(/\r?\n/)
      .map((l) => l.trim().split(/\s+/))
      .filter((c) => c[3] === 'LISTENING' && c[1]?.endsWith(`:${port}`))
      .map((c) => Number(c[4]));
    if (owners.length === 0) return 'none';
    return owners.includes(minerPid) ? 'miner' : 'foreign';
  }
  const r = await execa('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fp'], {
    reject: false,
    timeout: 5000,
  });
  if (r.failed && String(r.stdout).trim() === '') return r.exitCode === 1 ? 'none' : 'unknown';
  const owners = String(r.stdout)
    .split('\n')
    .filter((l) => l.startsWith('p'))
    .map((l) => Number(l.slice(1)));
  if (owners.length === 0) return 'none';
  return owners.includes(minerPid) ? 'miner' : 'foreign';
}
