// Starting the fake miners through the page's client, as the UI does: a binary must be trusted first,
// so the fake is chosen in the (emulated) native file dialog of the main process, like a user would.
import type { MinerSnapshot } from '../../src/shared/model';
import { FAKE_TTMINER, FAKE_XMRIG, type Shell } from './driver';

const POOL = 'stratum+tcp://127.0.0.1:3333';
const WALLET =
  '48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD';

export async function miners(app: Shell): Promise<MinerSnapshot[]> {
  return (await app.run<{ miners: MinerSnapshot[] }>('getSnapshot')).miners;
}

/** Waits until the named miner is running, and returns it. */
export async function running(app: Shell, name: string): Promise<MinerSnapshot> {
  const list = await app.until(
    () => miners(app),
    (ms) => ms.some((m) => m.name === name && m.state === 'running'),
    `miner "${name}" running`,
  );
  return list.find((m) => m.name === name) as MinerSnapshot;
}

/** Trusts a fake miner through pickBinary and the emulated dialog; returns its binary id. */
export async function trustFake(app: Shell, type: 'xmrig' | 'ttminer'): Promise<string> {
  await app.call('answerOpenDialog', { filePaths: [type === 'xmrig' ? FAKE_XMRIG : FAKE_TTMINER] });
  const picked = await app.run<{ id: string } | null>('pickBinary', { minerType: type });
  if (!picked) throw new Error('the emulated dialog returned no file');
  return picked.id;
}

export async function startFake(app: Shell, type: 'xmrig' | 'ttminer', name: string): Promise<MinerSnapshot> {
  const binaryId = await trustFake(app, type);
  await app.run('startMiner', { name, minerType: type, config: { pool: POOL, wallet: WALLET, binaryId } });
  return running(app, name);
}

export async function startSimulated(app: Shell, name: string): Promise<MinerSnapshot> {
  await app.run('startMiner', { name, minerType: 'simulated', config: { threads: 1 } });
  return running(app, name);
}
