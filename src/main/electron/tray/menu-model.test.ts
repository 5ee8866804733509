import { describe, expect, it } from 'vitest';
import type { MinerSnapshot } from '../../../shared/model';
import { miner, stats } from '../testing/fakes';
import {
  TOOLTIP_MAX,
  buildTrayModel,
  commonCpuHint,
  cpuPresetOf,
  totalHashrate,
  trayIcon,
  trayTooltip,
  type TrayItem,
  type TrayState,
} from './menu-model';

const state = (overrides: Partial<TrayState> = {}): TrayState => ({
  miners: [],
  startProfileName: 'Main rig',
  windowVisible: false,
  ...overrides,
});

const item = (items: TrayItem[], id: string): TrayItem | undefined => items.find((i) => i.id === id);
const ids = (items: TrayItem[]): string[] => items.filter((i) => i.type !== 'separator').map((i) => i.id);

const running = (o: Partial<MinerSnapshot> & { cpuHint?: number } = {}) => miner({ state: 'running', ...o });
const paused = (o: Partial<MinerSnapshot> & { cpuHint?: number } = {}) =>
  miner({ state: 'running', paused: true, ...o });

describe('trayIcon', () => {
  it('is idle with no miners or only stopped ones', () => {
    expect(trayIcon([])).toBe('idle');
    expect(trayIcon([miner({ state: 'stopped' })])).toBe('idle');
  });

  it('is mining when any miner runs or starts', () => {
    expect(trayIcon([running()])).toBe('mining');
    expect(trayIcon([miner({ state: 'starting', stats: null })])).toBe('mining');
    expect(trayIcon([running(), paused()])).toBe('mining');
  });

  it('stays mining while a miner is still stopping (its process is alive)', () => {
    expect(trayIcon([miner({ state: 'stopping' })])).toBe('mining');
  });

  it('is paused when every live miner is paused', () => {
    expect(trayIcon([paused(), paused(), miner({ state: 'stopped' })])).toBe('paused');
  });

  it('is not paused when a paused miner sits next to a starting one', () => {
    expect(trayIcon([paused(), miner({ state: 'starting' })])).toBe('mining');
  });

  it('is error when any miner crashed or errored, whatever else runs', () => {
    expect(trayIcon([running(), miner({ state: 'crashed' })])).toBe('error');
    expect(trayIcon([miner({ state: 'errored' })])).toBe('error');
    expect(trayIcon([paused(), miner({ state: 'errored' })])).toBe('error');
  });
});

describe('totalHashrate', () => {
  it('sums the 10 s rate of running, unpaused miners', () => {
    expect(
      totalHashrate([
        running({ stats: stats({ hashrate: [1000, 900, null] }) }),
        running({ stats: stats({ hashrate: [230, 0, 0] }) }),
      ]),
    ).toBe(1230);
  });

  it('falls back to the 60 s rate when the 10 s one is missing', () => {
    expect(totalHashrate([running({ stats: stats({ hashrate: [null, 800, null] }) })])).toBe(800);
  });

  it('leaves out paused, starting and stat-less miners', () => {
    expect(
      totalHashrate([
        paused({ stats: stats({ hashrate: [5000, 5000, null] }) }),
        miner({ state: 'starting', stats: stats({ hashrate: [7000, null, null] }) }),
        running({ stats: null }),
        running({ stats: stats({ hashrate: [10, null, null] }) }),
      ]),
    ).toBe(10);
  });

  it('is null while every running miner is warming up', () => {
    expect(
      totalHashrate([running({ stats: stats({ hashrate: [null, null, null], warmingUp: true }) })]),
    ).toBeNull();
    expect(totalHashrate([])).toBeNull();
  });
});

describe('trayTooltip', () => {
  it('says idle when nothing runs', () => {
    expect(trayTooltip([])).toBe('HashDeck — idle');
  });

  it('shows the total hashrate and the miner count', () => {
    const miners = [
      running({ stats: stats({ hashrate: [1000, null, null] }) }),
      running({ stats: stats({ hashrate: [230, null, null] }) }),
    ];
    expect(trayTooltip(miners)).toBe('HashDeck — mining 1.23 kH/s (2 miners)');
  });

  it('uses the singular for one miner', () => {
    expect(trayTooltip([running({ stats: stats({ hashrate: [512, null, null] }) })])).toBe(
      'HashDeck — mining 512.0 H/s (1 miner)',
    );
  });

  it('says warming up instead of 0 H/s before the first rate', () => {
    expect(trayTooltip([miner({ state: 'starting', stats: null })])).toBe(
      'HashDeck — mining, warming up (1 miner)',
    );
  });

  it('counts paused miners next to running ones', () => {
    const miners = [running({ stats: stats({ hashrate: [2000, null, null] }) }), paused()];
    expect(trayTooltip(miners)).toBe('HashDeck — mining 2.00 kH/s (2 miners, 1 paused)');
  });

  it('says paused when every miner is paused', () => {
    expect(trayTooltip([paused(), paused()])).toBe('HashDeck — paused (2 miners)');
  });

  it('says stopping when only stopping miners are left', () => {
    expect(trayTooltip([miner({ state: 'stopping' })])).toBe('HashDeck — stopping (1 miner)');
  });

  it('adds failed miners', () => {
    expect(trayTooltip([miner({ state: 'crashed' })])).toBe('HashDeck — idle; 1 miner stopped with an error');
    expect(
      trayTooltip([
        running({ stats: stats({ hashrate: [1, null, null] }) }),
        miner({ state: 'errored' }),
        miner({ state: 'crashed' }),
      ]),
    ).toBe('HashDeck — mining 1.0 H/s (1 miner); 2 miners stopped with an error');
  });

  it('stays within the Windows tooltip limit', () => {
    const many = Array.from({ length: 2000 }, () => miner({ state: 'crashed' }));
    const lots = [...many, ...Array.from({ length: 5000 }, () => paused()), running()];
    expect(trayTooltip(lots).length).toBeLessThanOrEqual(TOOLTIP_MAX);
  });
});

describe('commonCpuHint', () => {
  it('is the hint all running CPU miners share', () => {
    expect(commonCpuHint([running({ cpuHint: 50 }), running({ minerType: 'simulated', cpuHint: 50 })])).toBe(
      50,
    );
  });

  it('is null when they differ or none runs', () => {
    expect(commonCpuHint([running({ cpuHint: 50 }), running({ cpuHint: 75 })])).toBeNull();
    expect(commonCpuHint([])).toBeNull();
    expect(commonCpuHint([miner({ state: 'stopped', cpuHint: 50 })])).toBeNull();
  });

  it('ignores GPU miners', () => {
    expect(commonCpuHint([running({ cpuHint: 25 }), running({ minerType: 'ttminer', cpuHint: 100 })])).toBe(
      25,
    );
  });
});

describe('buildTrayModel', () => {
  it('lays out the idle menu: status, window, start, CPU presets, quit', () => {
    const model = buildTrayModel(state());
    expect(model.icon).toBe('idle');
    expect(model.tooltip).toBe('HashDeck — idle');
    expect(ids(model.items)).toEqual([
      'status',
      'show-window',
      'start-last',
      'cpu-header',
      'cpu-25',
      'cpu-50',
      'cpu-75',
      'cpu-100',
      'quit',
    ]);
    expect(item(model.items, 'status')).toEqual({ id: 'status', label: 'Not mining', enabled: false });
    expect(item(model.items, 'quit')).toMatchObject({ label: 'Quit HashDeck', enabled: true });
  });

  it('separates the groups with separators', () => {
    const model = buildTrayModel(state());
    const types = model.items.map((i) => (i.type === 'separator' ? '|' : i.id));
    expect(types).toEqual([
      'status',
      '|',
      'show-window',
      '|',
      'start-last',
      '|',
      'cpu-header',
      'cpu-25',
      'cpu-50',
      'cpu-75',
      'cpu-100',
      '|',
      'quit',
    ]);
  });

  it('offers Hide window while the window is visible', () => {
    const model = buildTrayModel(state({ windowVisible: true }));
    expect(item(model.items, 'hide-window')).toMatchObject({ label: 'Hide window', enabled: true });
    expect(item(model.items, 'show-window')).toBeUndefined();
  });

  describe('start', () => {
    it('names the last profile', () => {
      expect(item(buildTrayModel(state()).items, 'start-last')).toEqual({
        id: 'start-last',
        label: 'Start "Main rig"',
        enabled: true,
      });
    });

    it('is disabled without profiles', () => {
      const start = item(buildTrayModel(state({ startProfileName: null })).items, 'start-last');
      expect(start).toMatchObject({ enabled: false, label: 'Start mining (no profile yet)' });
    });

    it('shortens a long profile name', () => {
      const label =
        item(buildTrayModel(state({ startProfileName: 'x'.repeat(64) })).items, 'start-last')?.label ?? '';
      expect(label.length).toBeLessThan(50);
      expect(label.endsWith('…"')).toBe(true);
    });

    it('is offered again when miners only crashed or stopped', () => {
      const model = buildTrayModel(
        state({ miners: [miner({ state: 'crashed' }), miner({ state: 'stopped' })] }),
      );
      expect(item(model.items, 'start-last')?.enabled).toBe(true);
      expect(item(model.items, 'stop-all')).toBeUndefined();
    });
  });

  describe('stop, pause and resume', () => {
    it('replaces Start with Stop all while a miner is live', () => {
      const model = buildTrayModel(state({ miners: [running()] }));
      expect(item(model.items, 'start-last')).toBeUndefined();
      expect(item(model.items, 'stop-all')).toEqual({ id: 'stop-all', label: 'Stop all', enabled: true });
    });

    it('shows Stop all for a starting miner', () => {
      const model = buildTrayModel(state({ miners: [miner({ state: 'starting', stats: null })] }));
      expect(item(model.items, 'stop-all')?.enabled).toBe(true);
      expect(item(model.items, 'pause-all')).toBeUndefined();
    });

    it('shows a disabled Stopping… when only stopping miners are left', () => {
      const model = buildTrayModel(state({ miners: [miner({ state: 'stopping' })] }));
      expect(item(model.items, 'stop-all')).toEqual({ id: 'stop-all', label: 'Stopping…', enabled: false });
      expect(item(model.items, 'status')?.label).toBe('Stopping 1 miner');
    });

    it('offers Pause all while a miner runs unpaused', () => {
      const model = buildTrayModel(state({ miners: [running()] }));
      expect(item(model.items, 'pause-all')).toMatchObject({ enabled: true });
      expect(item(model.items, 'resume-all')).toBeUndefined();
      expect(item(model.items, 'status')?.label).toBe('Mining with 1 miner');
    });

    it('offers Resume all when every miner is paused', () => {
      const model = buildTrayModel(state({ miners: [paused(), paused()] }));
      expect(model.icon).toBe('paused');
      expect(item(model.items, 'resume-all')).toMatchObject({ enabled: true });
      expect(item(model.items, 'pause-all')).toBeUndefined();
      expect(item(model.items, 'status')?.label).toBe('Paused: 2 miners');
    });

    it('offers no Pause all when only miners that cannot pause run (TT-Miner)', () => {
      const model = buildTrayModel(state({ miners: [running({ minerType: 'ttminer' })] }));
      expect(item(model.items, 'pause-all')).toBeUndefined();
      expect(item(model.items, 'stop-all')?.enabled).toBe(true);
    });

    it('says which miners Pause all leaves running when some cannot pause', () => {
      const model = buildTrayModel(
        state({
          miners: [running({ minerType: 'ttminer' }), running(), running({ minerType: 'simulated' })],
        }),
      );
      expect(item(model.items, 'pause-all')).toEqual({
        id: 'pause-all',
        label: 'Pause 2 miners (TT-Miner cannot pause)',
        enabled: true,
      });
    });

    it('counts a running TT-Miner in the hashrate although it cannot pause', () => {
      const gpu = running({ minerType: 'ttminer', stats: stats({ hashrate: [2000, null, null] }) });
      expect(totalHashrate([gpu, running()])).toBe(3000);
    });

    it('offers both when some are paused and some are not', () => {
      const model = buildTrayModel(state({ miners: [running(), paused()] }));
      expect(ids(model.items)).toEqual(expect.arrayContaining(['stop-all', 'pause-all', 'resume-all']));
      expect(item(model.items, 'status')?.label).toBe('Mining with 2 miners (1 paused)');
    });
  });

  describe('CPU presets', () => {
    const presets = (s: TrayState) =>
      buildTrayModel(s).items.filter((i) => i.id.startsWith('cpu-') && i.type === 'radio');

    it('are radio items, disabled and unchecked when no CPU miner runs', () => {
      const items = presets(state());
      expect(items.map((i) => i.label)).toEqual(['25 %', '50 %', '75 %', '100 %']);
      expect(items.every((i) => i.type === 'radio' && !i.enabled && i.checked === false)).toBe(true);
    });

    it('are enabled and check the shared hint when XMRig runs', () => {
      const items = presets(state({ miners: [running({ cpuHint: 75 })] }));
      expect(items.every((i) => i.enabled)).toBe(true);
      expect(items.filter((i) => i.checked).map((i) => i.id)).toEqual(['cpu-75']);
    });

    it('are enabled for the simulated miner too', () => {
      expect(presets(state({ miners: [running({ minerType: 'simulated', cpuHint: 25 })] }))[0]).toMatchObject(
        {
          enabled: true,
          checked: true,
        },
      );
    });

    it('are disabled when only TT-Miner runs', () => {
      expect(presets(state({ miners: [running({ minerType: 'ttminer' })] })).some((i) => i.enabled)).toBe(
        false,
      );
    });

    it('are disabled while the CPU miner is only starting', () => {
      expect(presets(state({ miners: [miner({ state: 'starting' })] })).some((i) => i.enabled)).toBe(false);
    });

    it('check nothing when the running miners differ or use another value', () => {
      expect(
        presets(state({ miners: [running({ cpuHint: 25 }), running({ cpuHint: 50 })] })).some(
          (i) => i.checked,
        ),
      ).toBe(false);
      expect(presets(state({ miners: [running({ cpuHint: 60 })] })).some((i) => i.checked)).toBe(false);
    });

    it('map item ids back to their percentage', () => {
      expect(cpuPresetOf('cpu-50')).toBe(50);
      expect(cpuPresetOf('cpu-60')).toBeNull();
      expect(cpuPresetOf('quit')).toBeNull();
    });
  });

  it('adds an attention line for failed miners', () => {
    const model = buildTrayModel(
      state({ miners: [miner({ state: 'errored' }), miner({ state: 'crashed' })] }),
    );
    expect(model.icon).toBe('error');
    expect(item(model.items, 'attention')).toEqual({
      id: 'attention',
      label: '2 miners stopped with an error',
      enabled: false,
    });
  });

  it('keeps the items free of hashrates so stats ticks do not rebuild the menu', () => {
    const a = buildTrayModel(
      state({ miners: [running({ id: 'a', stats: stats({ hashrate: [100, null, null] }) })] }),
    );
    const b = buildTrayModel(
      state({ miners: [running({ id: 'a', stats: stats({ hashrate: [999, null, null] }) })] }),
    );
    expect(b.items).toEqual(a.items);
    expect(b.tooltip).not.toBe(a.tooltip);
  });

  it('is plain serialisable data', () => {
    const model = buildTrayModel(state({ miners: [running(), paused(), miner({ state: 'crashed' })] }));
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  describe('pause rules', () => {
    const byRule = (
      o: Partial<MinerSnapshot>,
      rule: 'onBattery' | 'userActive' | 'gpuTemperature',
      detail: string,
    ): MinerSnapshot =>
      paused({
        ...o,
        control: {
          pauseKind: 'api',
          pausedBy: { by: 'rule', rule, detail },
          throttle: null,
          effective: null,
          usage: null,
          budget: null,
          mineAnywayUntil: null,
        },
      });

    it('says which rule paused mining and offers "Mine anyway for 1 hour"', () => {
      const model = buildTrayModel(
        state({
          miners: [
            byRule({ id: 'a' }, 'onBattery', 'running on battery'),
            byRule({ id: 'b' }, 'onBattery', 'running on battery'),
          ],
        }),
      );
      expect(item(model.items, 'rule-held-0')).toEqual({
        id: 'rule-held-0',
        label: 'Paused: running on battery',
        enabled: false,
      });
      expect(item(model.items, 'rule-held-1')).toBeUndefined();
      expect(item(model.items, 'mine-anyway')).toEqual({
        id: 'mine-anyway',
        label: 'Mine anyway for 1 hour',
        enabled: true,
      });
      expect(ids(model.items).indexOf('rule-held-0')).toBe(1); // right under the status line
    });

    it('names each miner when the rules differ, and never offers to override the GPU temperature', () => {
      const model = buildTrayModel(
        state({
          miners: [
            byRule({ id: 'cpu', name: 'CPU rig' }, 'userActive', 'the computer is in use'),
            byRule({ id: 'gpu', name: 'GPU rig' }, 'gpuTemperature', 'GPU at 85 °C (limit 80 °C)'),
          ],
        }),
      );
      expect(model.items.filter((i) => i.id.startsWith('rule-held-')).map((i) => i.label)).toEqual([
        'CPU rig paused: the computer is in use',
        'GPU rig paused: GPU at 85 °C (limit 80 °C)',
      ]);
      expect(item(model.items, 'mine-anyway')).toBeDefined();
      const hotOnly = buildTrayModel(
        state({ miners: [byRule({ id: 'gpu' }, 'gpuTemperature', 'GPU at 85 °C (limit 80 °C)')] }),
      );
      expect(item(hotOnly.items, 'mine-anyway')).toBeUndefined();
      expect(item(hotOnly.items, 'rule-held-0')?.label).toBe('Paused: GPU at 85 °C (limit 80 °C)');
    });

    it('shows no rule line for a pause by the user', () => {
      const model = buildTrayModel(state({ miners: [paused()] }));
      expect(ids(model.items).some((id) => id.startsWith('rule-held') || id === 'mine-anyway')).toBe(false);
    });
  });
});
