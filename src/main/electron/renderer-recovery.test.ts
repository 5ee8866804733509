import { describe, expect, it } from 'vitest';
import { createRecoveryPolicy, describeGone, giveUpNotice, recoveryNotice } from './renderer-recovery';

function clock(start = 0) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('createRecoveryPolicy', () => {
  it('reloads after the first crash, builds a new window after the second, gives up on the third', () => {
    const c = clock();
    const policy = createRecoveryPolicy({ now: c.now });
    expect(policy.decide({ visible: true })).toBe('reload');
    c.t += 1000;
    expect(policy.decide({ visible: true })).toBe('recreate');
    c.t += 1000;
    expect(policy.decide({ visible: true })).toBe('give-up');
  });

  it('forgets crashes older than the window, so a crash a day is always reloaded', () => {
    const c = clock();
    const policy = createRecoveryPolicy({ now: c.now, windowMs: 60_000 });
    for (let i = 0; i < 5; i += 1) {
      expect(policy.decide({ visible: true })).toBe('reload');
      c.t += 60_000;
    }
  });

  it('drops a hidden window instead of reloading it', () => {
    const policy = createRecoveryPolicy({ now: clock().now });
    expect(policy.decide({ visible: false })).toBe('discard');
  });

  it('gives up on a hidden window that keeps crashing too', () => {
    const policy = createRecoveryPolicy({ now: clock().now, maxRecoveries: 1 });
    expect(policy.decide({ visible: false })).toBe('discard');
    expect(policy.decide({ visible: false })).toBe('give-up');
  });
});

describe('messages', () => {
  it('name the reason and the exit code, and say mining goes on', () => {
    expect(describeGone({ reason: 'crashed', exitCode: 139 })).toBe('crashed, exit code 139');
    expect(describeGone({ reason: 'oom', exitCode: 0 })).toBe('oom');
    expect(recoveryNotice('reload', { reason: 'crashed', exitCode: 139 })).toBe(
      'The window stopped unexpectedly (crashed, exit code 139) and was reloaded. Mining was not affected.',
    );
    expect(recoveryNotice('recreate', { reason: 'killed' })).toContain('opened anew');
    expect(recoveryNotice('discard', { reason: 'killed' })).toContain('while hidden');
    expect(giveUpNotice({ reason: 'crashed' }).body).toContain('"Show window"');
  });
});
