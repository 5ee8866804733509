import { describe, expect, it, vi } from 'vitest';
import { MinerError } from '../../../shared/errors';
import type { MinerSnapshot } from '../../../shared/model';
import { FakeService, miner } from '../testing/fakes';
import { runTrayAction, type TrayActionContext } from './actions';

function setup(options: { startProfileId?: string | null } = {}) {
  const service = new FakeService();
  const ctx = {
    service,
    miners: () => service.miners(),
    startProfileId: () => (options.startProfileId === undefined ? 'main' : options.startProfileId),
    showWindow: vi.fn(),
    hideWindow: vi.fn(),
    quit: vi.fn(),
    report: vi.fn(),
  } satisfies TrayActionContext;
  return { service, ctx };
}

describe('runTrayAction', () => {
  it('shows and hides the window and quits', async () => {
    const { ctx } = setup();
    await runTrayAction('show-window', ctx);
    await runTrayAction('hide-window', ctx);
    await runTrayAction('quit', ctx);
    expect(ctx.showWindow).toHaveBeenCalledOnce();
    expect(ctx.hideWindow).toHaveBeenCalledOnce();
    expect(ctx.quit).toHaveBeenCalledOnce();
  });

  it('starts the last profile', async () => {
    const { ctx, service } = setup();
    await runTrayAction('start-last', ctx);
    expect(service.calls).toEqual([{ name: 'startMiner', input: { profileId: 'main' } }]);
  });

  it('does nothing for start without a last profile', async () => {
    const { ctx, service } = setup({ startProfileId: null });
    await runTrayAction('start-last', ctx);
    expect(service.calls).toEqual([]);
  });

  it('reports a failed start instead of throwing', async () => {
    const { ctx, service } = setup();
    service.respond = () => {
      throw new MinerError('BINARY_MISSING', 'XMRig is not installed');
    };
    await expect(runTrayAction('start-last', ctx)).resolves.toBeUndefined();
    expect(ctx.report).toHaveBeenCalledWith('Could not start mining', 'XMRig is not installed');
  });

  it('stops every starting or running miner, not stopped or stopping ones', async () => {
    const { ctx, service } = setup();
    service.minerList = [
      miner({ id: 'a', state: 'running' }),
      miner({ id: 'b', state: 'starting' }),
      miner({ id: 'c', state: 'stopping' }),
      miner({ id: 'd', state: 'stopped' }),
      miner({ id: 'e', state: 'running', paused: true }),
    ];
    await runTrayAction('stop-all', ctx);
    expect(service.calls).toEqual([
      { name: 'stopMiner', input: { id: 'a' } },
      { name: 'stopMiner', input: { id: 'b' } },
      { name: 'stopMiner', input: { id: 'e' } },
    ]);
  });

  it('pauses running miners that are not paused yet', async () => {
    const { ctx, service } = setup();
    service.minerList = [
      miner({ id: 'a' }),
      miner({ id: 'b', paused: true }),
      miner({ id: 'c', state: 'starting' }),
    ];
    await runTrayAction('pause-all', ctx);
    expect(service.calls).toEqual([{ name: 'pauseMiner', input: { id: 'a' } }]);
  });

  it('never asks a TT-Miner to pause (it cannot), so Pause all reports no failure', async () => {
    const { ctx, service } = setup();
    service.minerList = [miner({ id: 'g', minerType: 'ttminer' }), miner({ id: 'x', minerType: 'xmrig' })];
    await runTrayAction('pause-all', ctx);
    expect(service.calls).toEqual([{ name: 'pauseMiner', input: { id: 'x' } }]);
    expect(ctx.report).not.toHaveBeenCalled();
  });

  it('resumes paused miners only', async () => {
    const { ctx, service } = setup();
    service.minerList = [miner({ id: 'a' }), miner({ id: 'b', paused: true })];
    await runTrayAction('resume-all', ctx);
    expect(service.calls).toEqual([{ name: 'resumeMiner', input: { id: 'b' } }]);
  });

  it('applies a CPU preset to each running XMRig and simulated miner', async () => {
    const { ctx, service } = setup();
    service.minerList = [
      miner({ id: 'x', minerType: 'xmrig' }),
      miner({ id: 's', minerType: 'simulated' }),
      miner({ id: 'g', minerType: 'ttminer' }),
      miner({ id: 'o', minerType: 'xmrig', state: 'stopped' }),
    ];
    await runTrayAction('cpu-50', ctx);
    expect(service.calls).toEqual([
      { name: 'setThrottle', input: { id: 'x', cpuMaxThreadsHint: 50 } },
      { name: 'setThrottle', input: { id: 's', cpuMaxThreadsHint: 50 } },
    ]);
  });

  it('keeps acting on the other miners when one fails, then reports the failures by name', async () => {
    const { ctx, service } = setup();
    service.minerList = [miner({ id: 'a', name: 'Alpha' }), miner({ id: 'b', name: 'Beta' })];
    service.respond = (_name, input) => {
      if ((input as { id: string }).id === 'a') throw new MinerError('UNSUPPORTED', 'cannot pause');
      return {};
    };
    await runTrayAction('pause-all', ctx);
    expect(service.calls).toHaveLength(2);
    expect(ctx.report).toHaveBeenCalledWith('Could not pause every miner', 'Alpha: cannot pause');
  });

  it('ignores ids without an action (status lines, separators, unknown)', async () => {
    const { ctx, service } = setup();
    for (const id of ['status', 'attention', 'cpu-header', 'sep-cpu', 'cpu-60', 'nonsense']) {
      await runTrayAction(id, ctx);
    }
    expect(service.calls).toEqual([]);
    expect(ctx.report).not.toHaveBeenCalled();
  });

  it('"Mine anyway" resumes every miner a rule holds for an hour, except one the GPU temperature holds', async () => {
    const { ctx, service } = setup();
    const control = (pausedBy: NonNullable<MinerSnapshot['control']>['pausedBy']) => ({
      pauseKind: 'api' as const,
      pausedBy,
      throttle: null,
      effective: null,
      usage: null,
      budget: null,
      mineAnywayUntil: null,
    });
    service.minerList = [
      miner({ id: 'a', paused: true, control: control({ by: 'rule', rule: 'onBattery', detail: 'x' }) }),
      miner({ id: 'b', paused: true, control: control({ by: 'rule', rule: 'gpuTemperature', detail: 'y' }) }),
      miner({ id: 'c', paused: true, control: control({ by: 'user' }) }),
      miner({ id: 'd', paused: false, control: control(null) }),
    ];
    await runTrayAction('mine-anyway', ctx);
    expect(service.calls).toEqual([{ name: 'resumeMiner', input: { id: 'a', forMinutes: 60 } }]);
  });
});
