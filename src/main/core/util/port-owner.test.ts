// Who listens on a port: /proc parsing on Linux against a real listener of this process (whose process
// group plays the miner's), and the netstat / lsof readings of Windows and macOS from recorded output.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const execaMock = vi.hoisted(() => vi.fn());
vi.mock('execa', () => ({ execa: execaMock }));

import { listeningInodes, portOwner } from './port-owner';

const linux = process.platform === 'linux';
/** Larger than any pid Linux hands out (pid_max is at most 2^22): a group with no member. */
const NO_GROUP = 2 ** 30;

function listen(host = '127.0.0.1'): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  });
}
const portOf = (s: Server) => (s.address() as AddressInfo).port;
const close = (s: Server) => new Promise((r) => s.close(r));

/** This process's group, read the way port-owner reads others'. */
async function ownGroup(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

afterEach(() => {
  execaMock.mockReset();
});

describe('listeningInodes', () => {
  let procNet: string;
  beforeEach(async () => {
    procNet = await mkdtemp(join(tmpdir(), 'hashdeck-procnet-'));
  });
  afterEach(async () => {
    await rm(procNet, { recursive: true, force: true });
  });

  const HEADER =
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  const row = (sl: number, local: string, remote: string, st: string, inode: string) =>
    `  ${sl}: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;

  it('takes sockets LISTENing on the port from tcp and tcp6, any address, skipping the header', async () => {
    // 0x1F90 = 8080. The header's own 4th column must not pass for a state.
    await writeFile(
      join(procNet, 'tcp'),
      HEADER +
        row(0, '0100007F:1F90', '00000000:0000', '0A', '111') +
        row(1, '0100007F:1F90', '0100007F:C350', '01', '222') + // established, not listening
        row(2, '0100007F:1F91', '00000000:0000', '0A', '333') + // another port
        row(3, '00000000:1F90', '00000000:0000', '0A', '444'),
    );
    await writeFile(
      join(procNet, 'tcp6'),
      HEADER +
        row(0, '00000000000000000000000001000000:1F90', '00000000000000000000000000000000:0000', '0A', '555'),
    );
    expect(await listeningInodes(8080, procNet)).toEqual(['111', '444', '555']);
    expect(await listeningInodes(8081, procNet)).toEqual(['333']);
    expect(await listeningInodes(80, procNet)).toEqual([]);
  });

  it('reads what exists: a missing tcp6 (IPv6 off) or no files at all is no listener', async () => {
    await writeFile(join(procNet, 'tcp'), HEADER + row(0, '0100007F:0050', '00000000:0000', '0A', '9'));
    expect(await listeningInodes(80, procNet)).toEqual(['9']);
    expect(await listeningInodes(80, join(procNet, 'absent'))).toEqual([]);
  });

  it('skips blank and short lines', async () => {
    await writeFile(
      join(procNet, 'tcp'),
      `${HEADER}\n   \n  5: 0100007F:0050\n  6: 0100007F:0050 00000000:0000 0A\n`,
    );
    expect(await listeningInodes(80, procNet)).toEqual([]);
  });

  it.skipIf(!linux)('finds a real listener of this process in /proc/net', async () => {
    const server = await listen();
    try {
      const inodes = await listeningInodes(portOf(server));
      expect(inodes).toHaveLength(1);
      expect(inodes[0]).toMatch(/^\d+$/);
    } finally {
      await close(server);
    }
  });
});

describe.skipIf(!linux)('portOwner on Linux', () => {
  it("is 'miner' when a process of the miner's group holds the listening socket", async () => {
    const server = await listen();
    try {
      expect(await portOwner(portOf(server), await ownGroup(), 'linux')).toBe('miner');
    } finally {
      await close(server);
    }
  });

  it("is 'foreign' when the listener belongs to no process of the group", async () => {
    const server = await listen();
    try {
      expect(await portOwner(portOf(server), NO_GROUP, 'linux')).toBe('foreign');
    } finally {
      await close(server);
    }
  });

  it("is 'none' when nobody listens on the port", async () => {
    const server = await listen();
    const port = portOf(server);
    await close(server);
    expect(await portOwner(port, await ownGroup(), 'linux')).toBe('none');
  });

  it('never asks netstat or lsof there', async () => {
    const server = await listen();
    try {
      await portOwner(portOf(server), NO_GROUP, 'linux');
      expect(execaMock).not.toHaveBeenCalled();
    } finally {
      await close(server);
    }
  });
});

describe('portOwner on Windows (netstat -ano)', () => {
  const NETSTAT = [
    '',
    'Active Connections',
    '',
    '  Proto  Local Address          Foreign Address        State           PID',
    '  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1012',
    '  TCP    127.0.0.1:44067        0.0.0.0:0              LISTENING       5555',
    '  TCP    127.0.0.1:44067        127.0.0.1:50000        ESTABLISHED     5555',
    '  TCP    127.0.0.1:50000        127.0.0.1:44067        ESTABLISHED     7777',
    '  TCP    127.0.0.1:4406         0.0.0.0:0              LISTENING       8888',
    '',
  ].join('\r\n');

  it('asks netstat for TCP listeners with pids, bounded in time', async () => {
    execaMock.mockResolvedValue({ stdout: NETSTAT, failed: false, exitCode: 0 });
    await portOwner(44067, 5555, 'win32');
    expect(execaMock).toHaveBeenCalledWith('netstat', ['-ano', '-p', 'TCP'], {
      reject: false,
      timeout: 5000,
    });
  });

  it("is 'miner' when the miner's pid is among the listeners of the port", async () => {
    execaMock.mockResolvedValue({ stdout: NETSTAT, failed: false, exitCode: 0 });
    expect(await portOwner(44067, 5555, 'win32')).toBe('miner');
  });

  it("is 'foreign' for another pid, even one connected to the port", async () => {
    execaMock.mockResolvedValue({ stdout: NETSTAT, failed: false, exitCode: 0 });
    expect(await portOwner(44067, 7777, 'win32')).toBe('foreign');
    expect(await portOwner(135, 5555, 'win32')).toBe('foreign');
  });

  it("is 'none' without a listener on exactly that port (not a port it ends with)", async () => {
    execaMock.mockResolvedValue({ stdout: NETSTAT, failed: false, exitCode: 0 });
    expect(await portOwner(4067, 5555, 'win32')).toBe('none');
    expect(await portOwner(50000, 7777, 'win32')).toBe('none');
    execaMock.mockResolvedValue({ stdout: '', failed: true, exitCode: 1 });
    expect(await portOwner(44067, 5555, 'win32')).toBe('none');
  });
});

describe('portOwner on macOS (lsof)', () => {
  it('asks lsof for the listeners of that TCP port, pids only, bounded in time', async () => {
    execaMock.mockResolvedValue({ stdout: 'p4242\nf7\n', failed: false, exitCode: 0 });
    await portOwner(44067, 4242, 'darwin');
    expect(execaMock).toHaveBeenCalledWith('lsof', ['-nP', '-iTCP:44067', '-sTCP:LISTEN', '-Fp'], {
      reject: false,
      timeout: 5000,
    });
  });

  it("is 'miner' when the miner is one of the listening processes, else 'foreign'", async () => {
    execaMock.mockResolvedValue({ stdout: 'p1000\nf5\np4242\nf7\n', failed: false, exitCode: 0 });
    expect(await portOwner(44067, 4242, 'darwin')).toBe('miner');
    expect(await portOwner(44067, 1000, 'darwin')).toBe('miner');
    // 'f7' is a file descriptor line, not a pid
    expect(await portOwner(44067, 7, 'darwin')).toBe('foreign');
    expect(await portOwner(44067, 42, 'darwin')).toBe('foreign');
  });

  it("is 'none' when lsof finds nothing (exit 1), 'unknown' when lsof itself failed", async () => {
    execaMock.mockResolvedValue({ stdout: '', failed: true, exitCode: 1 });
    expect(await portOwner(44067, 4242, 'darwin')).toBe('none');
    execaMock.mockResolvedValue({ stdout: '  \n', failed: true, exitCode: 1 });
    expect(await portOwner(44067, 4242, 'darwin')).toBe('none');
    execaMock.mockResolvedValue({ stdout: '', failed: true, exitCode: undefined }); // not installed
    expect(await portOwner(44067, 4242, 'darwin')).toBe('unknown');
    execaMock.mockResolvedValue({ stdout: '', failed: true, exitCode: 2 });
    expect(await portOwner(44067, 4242, 'darwin')).toBe('unknown');
  });

  it('reads the pids of a failed run that still printed some', async () => {
    execaMock.mockResolvedValue({ stdout: 'p4242\n', failed: true, exitCode: 1 });
    expect(await portOwner(44067, 4242, 'darwin')).toBe('miner');
    execaMock.mockResolvedValue({ stdout: 'f3\n', failed: false, exitCode: 0 });
    expect(await portOwner(44067, 4242, 'darwin')).toBe('none');
  });
});
