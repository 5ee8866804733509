// The tray keeps its own table of which miner families can pause (the shell may not import core); this
// pins that table to the adapters the engine really uses, so a new or changed adapter cannot drift from it.
import { describe, expect, it } from 'vitest';
import { adapters } from '../../src/main/core/miners/index';
import { CAN_PAUSE } from '../../src/main/electron/tray/menu-model';

describe('tray pause capabilities', () => {
  it('match each adapter’s supportsPause, for every miner type', () => {
    const fromAdapters = Object.fromEntries(
      Object.entries(adapters).map(([type, a]) => [type, a.supportsPause]),
    );
    expect(CAN_PAUSE).toEqual(fromAdapters);
    expect(CAN_PAUSE.ttminer).toBe(false);
  });
});
