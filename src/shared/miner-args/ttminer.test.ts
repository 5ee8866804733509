// TT-Miner's parser is closed source: only exact spellings of its display flags pass, with no prefix or
// case folding, and the launch flags the app sets from the profile are named as such when refused.
import { describe, expect, it } from 'vitest';
import { checkMinerArgs } from './index';
import { checkTtminerArgs } from './ttminer';

describe('checkTtminerArgs', () => {
  it('accepts the exact display flags, once each, in the order given', () => {
    expect(checkTtminerArgs(' -notimestamp -nocolor -notimestamp ')).toEqual({
      ok: true,
      args: ['-notimestamp', '-nocolor'],
    });
    expect(checkTtminerArgs('')).toEqual({ ok: true, args: [] });
  });

  it.each([
    ['-P', "profile's Pool"],
    ['-o', "profile's Pool"],
    ['-u', "profile's Wallet"],
    ['-p', "profile's Password"],
    ['-a', "profile's Algorithm"],
    ['-d', "profile's Devices"],
    ['-i', "profile's Intensity"],
    ['-b', "profile's API"],
    ['--api-bind', "profile's API"],
    ['--api-password', "profile's API"],
  ])('refuses the app-managed flag %s, naming the field', (flag, field) => {
    const r = checkTtminerArgs(`${flag} x`);
    expect(r.ok ? '' : r.errors[0]).toContain(`"${flag}" is not allowed: the app sets it from the ${field}`);
  });

  it.each(['--nocolor', '-nocol', '-NOCOLOR', '-nocolor=1', '-log', '-logpool', 'x', '--'])(
    'refuses %s: no prefixes, no case folding, no values',
    (token) => {
      const r = checkTtminerArgs(`-nocolor ${token}`);
      expect(r).toEqual({
        ok: false,
        errors: [
          `"${token}" is not an argument the app allows for TT-Miner (only the exact spellings -nocolor, -notimestamp)`,
        ],
      });
    },
  );

  it('refuses look-alike dashes and shell metacharacters', () => {
    const dash = checkTtminerArgs('—nocolor');
    expect(dash.ok ? '' : dash.errors[0]).toMatch(/use a plain ASCII hyphen "-"$/);
    const meta = checkTtminerArgs('-nocolor;id');
    expect(meta.ok ? '' : meta.errors[0]).toMatch(/shell metacharacter/);
  });
});

describe('checkMinerArgs', () => {
  it('dispatches on the miner type and returns canonical arguments', () => {
    expect(checkMinerArgs('xmrig', '--no-y --randomx-m=light')).toEqual({
      ok: true,
      canonical: ['--cpu-no-yield', '--randomx-mode=light'],
    });
    expect(checkMinerArgs('ttminer', '-nocolor')).toEqual({ ok: true, canonical: ['-nocolor'] });
    expect(checkMinerArgs('xmrig', '-nocolor').ok).toBe(false);
    expect(checkMinerArgs('simulated', '  ')).toEqual({ ok: true, canonical: [] });
    expect(checkMinerArgs('simulated', '--verbose')).toEqual({
      ok: false,
      errors: ['The simulated miner takes no extra arguments'],
    });
  });
});
