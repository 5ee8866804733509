// The trust boundary, attacked as a token holder or a compromised renderer would (issue 6): every
// attack goes through the headless HTTP API and through the service that the Electron IPC calls.
// None may run, read or write anything but the miners the user chose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, rm, symlink, rename } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHeadlessServer, type HeadlessServer } from '../../src/main/headless/server';
import { randomToken } from '../../src/main/core/util/net';
import { makeTestService, type TestService } from '../support/service';
import { isAlive, waitUntil } from '../support/process';
import { daemonisingMiner, fakeMiner, forbiddenProgram } from './fixtures';

const TOKEN = randomToken();
const POOL = 'stratum+tcp://127.0.0.1:3333';
let ctx: TestService;
let server: HeadlessServer;
let dir: string;

beforeAll(async () => {
  ctx = await makeTestService();
  dir = await mkdtemp(join(tmpdir(), 'hashdeck-security-'));
  server = await startHeadlessServer({
    service: ctx.service,
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    staticDir: null,
  });
});

afterAll(async () => {
  await server.close();
  await ctx.dispose();
  await rm(dir, { recursive: true, force: true });
});

type Call = (
  command: string,
  body: unknown,
) => Promise<{ ok: boolean; code?: string; message?: string; value?: unknown }>;

const transports: [string, () => Call][] = [
  [
    'headless HTTP API',
    () => async (command, body) => {
      const res = await fetch(`http://127.0.0.1:${server.port}/api/${command}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { error?: { code: string; message: string } };
      return res.ok
        ? { ok: true, value: json }
        : { ok: false, code: json.error?.code, message: json.error?.message };
    },
  ],
  [
    'service behind the Electron IPC',
    () => async (command, body) => {
      try {
        return { ok: true, value: await ctx.service.invoke(command as 'getSnapshot', body) };
      } catch (err) {
        const e = err as { code?: string; message?: string };
        return { ok: false, code: e.code, message: e.message };
      }
    },
  ],
];

describe.each(transports)('through the %s', (transportName, make) => {
  const call = (command: string, body: unknown) => make()(command, body);
  const marker = () =>
    join(dir, `${transportName.replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2)}.ran`);

  it('checkInstallation never runs (or even looks at) a path it is sent', async () => {
    const ran = marker();
    const program = await forbiddenProgram(dir, 'evil-version.cjs', ran);
    const r = await call('checkInstallation', { minerType: 'xmrig', binaryPath: program });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(existsSync(ran)).toBe(false);
  });

  it('checkInstallation is no file-existence oracle: /etc/shadow and a missing file answer alike', async () => {
    const shadow = await call('checkInstallation', { minerType: 'xmrig', binaryPath: '/etc/shadow' });
    const missing = await call('checkInstallation', { minerType: 'xmrig', binaryPath: '/no/such/file' });
    expect(shadow).toEqual(missing);
    const byUnknownId = await call('checkInstallation', { minerType: 'xmrig', binaryId: 'xmrig-00000000' });
    expect(byUnknownId).toMatchObject({ ok: true, value: { found: false, path: null } });
  });

  it('startMiner refuses a binary path, so curl cannot read /etc/shadow into the logs', async () => {
    const ran = marker();
    const program = await forbiddenProgram(dir, 'curl-stand-in.cjs', ran);
    const r = await call('startMiner', {
      name: 'curl',
      minerType: 'xmrig',
      config: { pool: POOL, wallet: 'w', binaryPath: program, cliArgs: '-s file:///etc/shadow' },
    });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(r.message).toContain('binaryPath is no longer accepted');
    expect(existsSync(ran)).toBe(false);
  });

  it('a script path is never run through node (no interpreter fallback), nor can a profile name one', async () => {
    const ran = marker();
    const program = await forbiddenProgram(dir, 'payload.mjs', ran);
    const r = await call('saveProfile', {
      name: 'payload',
      minerType: 'xmrig',
      config: { pool: POOL, wallet: 'w', binaryPath: program },
    });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(existsSync(ran)).toBe(false);
  });

  it.each([
    '--back',
    '-c/x',
    '--conf=/x',
    '--log-f=/tmp/x',
    '--http-por=1',
    '--http-h=0.0.0.0',
    '--http-acc=t',
    '--http-no-r',
    '--ben=1M',
    '-Bk',
    '--opencl-loader=/tmp/x.so',
    '--cuda-loader=/tmp/x.so',
    '-s file:///etc/shadow',
    '--data-dir=/tmp',
    '—background',
  ])('XMRig argument %j is refused however getopt_long would spell it', async (cliArgs) => {
    const r = await call('saveProfile', {
      name: 'args',
      minerType: 'xmrig',
      config: { pool: POOL, wallet: 'w', cliArgs },
    });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    const started = await call('startMiner', {
      name: 'args',
      minerType: 'xmrig',
      config: { pool: POOL, wallet: 'w', cliArgs },
    });
    expect(started).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('a binary can only be chosen by id among trusted ones; an unknown id runs nothing', async () => {
    const r = await call('startMiner', {
      name: 'ghost',
      minerType: 'xmrig',
      config: { pool: POOL, wallet: 'w', binaryId: 'xmrig-deadbeef' },
    });
    expect(r).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('there is no API to trust a new binary: pickBinary is desktop-only and takes no path', async () => {
    const withPath = await call('pickBinary', { minerType: 'xmrig', path: '/usr/bin/curl' });
    expect(withPath).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    const headless = await call('pickBinary', { minerType: 'xmrig' });
    expect(headless).toMatchObject({ ok: false, code: 'UNSUPPORTED' });
    expect(headless.message).toContain('trust add');
  });
});

describe('trusted binaries are checked again before every spawn', () => {
  it('a trusted file whose content changed is refused with a clear error and never run', async () => {
    const sub = join(dir, 'changed');
    const file = await fakeMiner(sub, 'xmrig-changing.mjs', 'xmrig');
    const entry = await ctx.service.trustLocalBinary(file, 'xmrig');
    const ran = join(sub, 'tampered.ran');
    await appendFile(file, `\nrequire('node:fs').writeFileSync(${JSON.stringify(ran)}, 'ran');\n`);
    const err = await ctx.service
      .invoke('startMiner', {
        name: 'tampered',
        minerType: 'xmrig',
        config: { pool: POOL, wallet: 'w', binaryId: entry.id },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNTRUSTED_BINARY' });
    expect((err as Error).message).toContain('changed since it was trusted');
    expect(existsSync(ran)).toBe(false);
  });

  it('a trusted path swapped for a symlink to another program is refused', async () => {
    const sub = join(dir, 'swapped');
    const file = await fakeMiner(sub, 'xmrig-swap.mjs', 'xmrig');
    const entry = await ctx.service.trustLocalBinary(file, 'xmrig');
    const ran = join(sub, 'swap.ran');
    const other = await forbiddenProgram(sub, 'other.cjs', ran);
    await rename(file, `${file}.orig`);
    await symlink(other, file);
    const err = await ctx.service
      .invoke('startMiner', {
        name: 'swap',
        minerType: 'xmrig',
        config: { pool: POOL, wallet: 'w', binaryId: entry.id },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNTRUSTED_BINARY' });
    expect(existsSync(ran)).toBe(false);
  });
});

describe('what a running miner gets', () => {
  it('never inherits HASHDECK_TOKEN or any variable outside the allow-list', async () => {
    const sub = join(dir, 'env');
    const before = { token: process.env.HASHDECK_TOKEN, secret: process.env.SOME_APP_SECRET };
    process.env.HASHDECK_TOKEN = TOKEN;
    process.env.SOME_APP_SECRET = 'do-not-leak';
    try {
      const file = await fakeMiner(
        sub,
        'xmrig-env.mjs',
        'xmrig',
        {},
        "console.log('env-keys ' + Object.keys(process.env).filter((k) => !k.startsWith('FAKE_')).sort().join(','));",
      );
      const entry = await ctx.service.trustLocalBinary(file, 'xmrig');
      const miner = await ctx.service.invoke('startMiner', {
        name: 'env-check',
        minerType: 'xmrig',
        config: { pool: POOL, wallet: 'w', binaryId: entry.id },
      });
      let keys = '';
      await waitUntil(
        () => {
          const line = ctx.service.manager.getLogs(miner.id).find((l) => l.text.startsWith('env-keys '));
          keys = line?.text ?? '';
          return line !== undefined;
        },
        10_000,
        'the env-keys line',
      );
      expect(keys).toContain('PATH');
      expect(keys).not.toContain('HASHDECK_TOKEN');
      expect(keys).not.toContain('SOME_APP_SECRET');
      await ctx.service.invoke('stopMiner', { id: miner.id });
    } finally {
      if (before.token === undefined) delete process.env.HASHDECK_TOKEN;
      else process.env.HASHDECK_TOKEN = before.token;
      if (before.secret === undefined) delete process.env.SOME_APP_SECRET;
      else process.env.SOME_APP_SECRET = before.secret;
    }
  });
});

/** A listener the test owns on a free port, counting every connection it receives. */
async function foreignListener(): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const srv = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const address = srv.address();
  return {
    server: srv,
    port: typeof address === 'object' && address ? address.port : 0,
    connections: () => count,
  };
}

describe('a foreign listener on the miner API port never hears from us', () => {
  it.each([
    ['xmrig', 'XMRig logs "address already in use" and mines on without an API'],
    ['ttminer', 'TT-Miner cannot bind; the OS says who owns the port'],
  ] as const)('%s: %s', async (kind, _why) => {
    const foreign = await foreignListener();
    try {
      const file = await fakeMiner(join(dir, `foreign-${kind}`), `${kind}.mjs`, kind);
      const entry = await ctx.service.trustLocalBinary(file, kind);
      const miner = await ctx.service.invoke('startMiner', {
        name: `foreign-${kind}`,
        minerType: kind,
        config: { pool: POOL, wallet: 'w', binaryId: entry.id, apiPort: foreign.port },
      });
      // Ticks drive the port check (TT-Miner) exactly as the collector's timer would.
      const end = Date.now() + 10_000;
      while (!(ctx.service.manager.get(miner.id).apiError ?? '').includes('no API this run')) {
        if (Date.now() > end)
          throw new Error(`no API refusal: ${JSON.stringify(ctx.service.manager.get(miner.id))}`);
        await ctx.service.manager.tick();
        await new Promise((r) => setTimeout(r, 50));
      }
      for (let i = 0; i < 3; i++) await ctx.service.manager.tick();
      expect(foreign.connections()).toBe(0);
      if (kind === 'xmrig') {
        await expect(ctx.service.invoke('pauseMiner', { id: miner.id })).rejects.toMatchObject({
          code: 'INVALID_STATE',
        });
      }
      expect(foreign.connections()).toBe(0);
      await ctx.service.invoke('stopMiner', { id: miner.id });
    } finally {
      foreign.server.close();
    }
  });
});

describe('no escape from supervision', () => {
  it('a miner that daemonises is found and killed, and the stop says so', async () => {
    const file = await daemonisingMiner(join(dir, 'daemon'));
    const entry = await ctx.service.trustLocalBinary(file, 'xmrig');
    const outcome = await ctx.service
      .invoke('startMiner', {
        name: 'daemon',
        minerType: 'xmrig',
        config: { pool: POOL, wallet: 'w', binaryId: entry.id },
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    // The leader exits at once, like `xmrig --background`; whether that counts as a failed start or a
    // crash, the stray it forked must be dead and named.
    await waitUntil(
      () => !['starting', 'running'].includes(ctx.service.manager.get('daemon').state),
      10_000,
      'the exit',
    );
    const logs = ctx.service.manager.getLogs('daemon').map((l) => l.text);
    const daemonPid = Number(/daemon pid (\d+)/.exec(logs.join('\n'))?.[1]);
    expect(daemonPid).toBeGreaterThan(0);
    await waitUntil(() => !isAlive(daemonPid), 5000, 'the daemon to be dead');
    const said = [String((outcome as Error | null)?.message ?? ''), ...logs].join('\n');
    expect(said).toContain('left its process group');
    expect(said).toContain(String(daemonPid));
  });
});
