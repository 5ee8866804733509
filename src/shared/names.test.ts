// The plain name lists equal the contract's schemas (order included) and recognise only real names.
import { describe, expect, it } from 'vitest';
import { commandSchemas } from './contract';
import { COMMAND_NAMES, EVENT_NAMES, isEventName } from './names';

describe('contract name lists', () => {
  it('list exactly the commands that have schemas', () => {
    expect([...COMMAND_NAMES]).toEqual(Object.keys(commandSchemas));
  });

  it('recognise event names only', () => {
    expect(EVENT_NAMES).toContain('stats');
    expect(isEventName('stats')).toBe(true);
    expect(isEventName('cmd:stats')).toBe(false);
    expect(isEventName('__proto__')).toBe(false);
    expect(isEventName(42)).toBe(false);
  });
});
