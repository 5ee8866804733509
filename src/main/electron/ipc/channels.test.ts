import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, EVENT_NAMES } from '../../../shared/contract';
import * as preload from '../../../preload/channels';
import * as main from './channels';

// main and the preload each hold the channel names (the preload may not import main); they must agree.
describe('IPC channel names', () => {
  it('are the same on both ends for every command', () => {
    for (const name of COMMAND_NAMES) expect(preload.commandChannel(name)).toBe(main.commandChannel(name));
    expect(main.commandChannel('startMiner')).toBe('cmd:startMiner');
  });

  it('are the same on both ends for every event', () => {
    for (const name of EVENT_NAMES) expect(preload.eventChannel(name)).toBe(main.eventChannel(name));
    expect(main.eventChannel('stats')).toBe('evt:stats');
  });

  it('share the ready signal', () => {
    expect(preload.READY_CHANNEL).toBe(main.READY_CHANNEL);
  });
});
