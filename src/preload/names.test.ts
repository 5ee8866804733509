import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, EVENT_NAMES } from '../shared/contract';
import { COMMANDS, EVENTS, isEventName } from './names';

// The preload cannot import the contract at runtime (zod would be bundled into the sandbox), so it keeps
// its own lists; these tests hold them equal to the contract, order included.
describe('preload name lists', () => {
  it('equal the contract commands', () => {
    expect([...COMMANDS]).toEqual(COMMAND_NAMES);
  });

  it('equal the contract events', () => {
    expect([...EVENTS]).toEqual([...EVENT_NAMES]);
  });

  it('recognise event names only', () => {
    expect(isEventName('stats')).toBe(true);
    expect(isEventName('cmd:stats')).toBe(false);
    expect(isEventName('__proto__')).toBe(false);
    expect(isEventName(42)).toBe(false);
  });
});
