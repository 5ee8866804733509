// Install words: sizes and progress numbers, and failures as what happened plus what to do, with a
// rate limit's reset time; a quarantine's advice names the folder and never asks HashDeck to change it.
import { describe, expect, it } from 'vitest';
import { failureText, formatBytes, progressNumbers, quarantineAdvice, rateLimitReset } from './install';
import { formatClock } from './time';

describe('formatBytes and progressNumbers', () => {
  it('scales bytes like a browser’s download list', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatBytes(6 * 1024 * 1024)).toBe('6.0 MB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MB');
  });

  it('says bytes of total, percent and speed when known', () => {
    expect(
      progressNumbers({
        bytes: 1024 * 1024,
        total: 4 * 1024 * 1024,
        percent: 25.4,
        bytesPerSecond: 512 * 1024,
      }),
    ).toBe('1.0 MB of 4.0 MB · 25 % · 512 kB/s');
    expect(progressNumbers({ bytes: 2048, total: null, percent: null, bytesPerSecond: 0 })).toBe('2.0 kB');
  });
});

describe('failureText', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('offline: says GitHub could not be reached and to check the connection', () => {
    const t = failureText({ code: 'NETWORK', details: { reason: 'offline' } }, 'install', now);
    expect(t.headline).toBe('HashDeck could not reach GitHub to download XMRig.');
    expect(t.advice).toMatch(/internet connection/);
    expect(failureText({ code: 'NETWORK', details: { reason: 'offline' } }, 'check', now).headline).toMatch(
      /check for XMRig updates/,
    );
  });

  it('rate-limited: says when to try again', () => {
    const resetAt = now + 12 * 60_000 - 5000;
    const t = failureText({ code: 'NETWORK', details: { reason: 'rate-limited', resetAt } }, 'check', now);
    expect(t.headline).toMatch(/GitHub is limiting/);
    expect(t.advice).toBe(`Try again after ${formatClock(resetAt, false)} (in 12 min).`);
    expect(rateLimitReset({ details: { reason: 'rate-limited', resetAt: null } }, now)).toBeNull();
  });

  it('verification failures say the download was deleted and nothing installed', () => {
    for (const reason of ['bad-signature', 'wrong-key', 'checksum-mismatch', 'missing-checksum']) {
      const t = failureText({ code: 'VERIFICATION_FAILED', details: { reason } }, 'install', now);
      expect(t.headline).toMatch(/^Verification failed: .* deleted it and installed nothing\.$/);
    }
  });

  it('a quarantine defers to the server’s platform-specific steps; a cancel is no failure', () => {
    expect(failureText({ code: 'SPAWN_FAILED', details: { reason: 'quarantined' } }, 'install', now)).toEqual(
      {
        headline: 'Security software blocked or removed XMRig right after HashDeck verified it.',
        advice: null,
      },
    );
    expect(
      failureText({ code: 'CANCELLED', details: { reason: 'cancelled' } }, 'install', now).headline,
    ).toBe('Install cancelled; nothing was installed.');
  });

  it('an unknown failure still reads as a sentence', () => {
    expect(failureText({ code: 'INTERNAL' }, 'install', now)).toEqual({
      headline: 'Installing XMRig failed.',
      advice: null,
    });
  });
});

describe('quarantineAdvice', () => {
  it('names the folder, the platform’s place to look, and that HashDeck changes nothing', () => {
    const win = quarantineAdvice('C:\\HashDeck\\miners\\xmrig\\6.26.0', '6.26.0', 'Windows');
    expect(win).toMatch(/Windows Security → Virus & threat protection → Protection history/);
    expect(win).toMatch(/HashDeck never changes security settings/);
    expect(win).toMatch(/install XMRig 6\.26\.0 again/);
    expect(quarantineAdvice('/Users/a/x', '6.26.0', 'MacIntel')).toMatch(/Privacy & Security/);
    expect(quarantineAdvice('/home/a/x', '6.26.0', 'Linux x86_64')).toMatch(/exclusion for \/home\/a\/x/);
  });
});
