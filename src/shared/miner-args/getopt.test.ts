// The getopt_long emulation against XMRig 6.26.0's real option table: each row is what glibc makes of
// an argv, so a regression in prefix, alias, cluster or value handling shows up as a changed row.
import { describe, expect, it } from 'vitest';
import { resolveArgv, type Resolved } from './getopt';
import { XMRIG_LONG_OPTIONS, XMRIG_OPTIONS } from './xmrig-options';

/** One compact line per resolved item: `option=value`, `option`, or `kind:spelled`. */
function show(r: Resolved): string {
  switch (r.kind) {
    case 'option':
      return r.value === null ? r.option : `${r.option}=${r.value}`;
    case 'ambiguous':
      return `ambiguous:${r.spelled}`;
    case 'operand':
      return `${r.afterTerminator ? 'after--' : 'operand'}:${r.token}`;
    case 'terminator':
      return 'terminator';
    case 'exact':
      return `exact:${r.key}`;
    default:
      return `${r.kind}:${r.spelled}`;
  }
}

const resolve = (...argv: string[]) => resolveArgv(argv, XMRIG_OPTIONS).map(show);

describe('resolveArgv on the XMRig table', () => {
  it.each([
    // exact names and unambiguous prefixes
    ['exact name', ['--background'], ['background']],
    ['prefix', ['--back'], ['background']],
    ['prefix with = value', ['--conf=/x'], ['config=/x']],
    ['prefix with empty = value', ['--log-f='], ['log-file=']],
    ['prefix with separate value', ['--conf', '/x'], ['config=/x']],
    [
      'http prefixes',
      ['--http-por=1', '--http-h=0.0.0.0', '--http-acc=t', '--http-no-r'],
      ['http-port=1', 'http-host=0.0.0.0', 'http-access-token=t', 'http-no-restricted'],
    ],
    ['a one-letter prefix', ['--w'], ['wrmsr']],
    // exact match wins over longer names it is a prefix of
    ['exact user over user-agent/userpass', ['--user', 'u'], ['user=u']],
    ['exact tls over tls-*', ['--tls'], ['tls']],
    ['exact tls-cert over tls-cert-key', ['--tls-cert=a'], ['tls-cert=a']],
    ['exact daemon over daemon-poll-interval', ['--daemon'], ['daemon']],
    ['exact opencl over opencl-*', ['--opencl'], ['opencl']],
    ['exact bench over benchmark', ['--bench=1M'], ['bench=1M']],
    // ambiguous prefixes (different keys or has_arg)
    ['ambiguous b', ['--b'], ['ambiguous:--b']],
    ['ambiguous use', ['--use', 'x'], ['ambiguous:--use', 'operand:x']],
    ['ambiguous tls-c', ['--tls-c=a'], ['ambiguous:--tls-c']],
    ['ambiguous donate', ['--donate=1'], ['ambiguous:--donate']],
    ['ambiguous randomx-no', ['--randomx-no'], ['ambiguous:--randomx-no']],
    ['same has_arg, different keys', ['--cpu-a=1'], ['ambiguous:--cpu-a']],
    ['empty name is a prefix of everything', ['--=x'], ['ambiguous:--']],
    // glibc: candidates with the same has_arg and key are aliases, the first one is taken
    ['no-huge-pages / no-hugepages', ['--no-huge'], ['no-huge-pages']],
    ['bench / benchmark', ['--ben=1M'], ['bench=1M']],
    [
      'alias prefixes',
      ['--no-y', '--1gb', '--cache', '--argon=AVX2'],
      ['no-yield', '1gb-pages', 'cache-qos', 'argon2-impl=AVX2'],
    ],
    // short options: joined, arguments joined or separate
    ['joined short options', ['-Bk'], ['background', 'keepalive']],
    ['short arg joined', ['-c/x'], ['config=/x']],
    ['short arg separate', ['-c', '/x'], ['config=/x']],
    ['short arg joined to a number', ['-t4'], ['threads=4']],
    ['flag then arg in one cluster', ['-kt4'], ['keepalive', 'threads=4']],
    ['an arg ends the cluster', ['-cBk'], ['config=Bk']],
    ['a short arg takes the next token whatever it is', ['-c', '-B'], ['config=-B']],
    ['unknown short letters each fail', ['-b0.0'], ['unknown:-b', 'unknown:-0', 'unknown:-.', 'unknown:-0']],
    ['colon is never an option', ['-:'], ['unknown:-:']],
    ['short without its value', ['-c'], ['missing-value:-c']],
    // required, optional and no arguments
    [
      'required arg takes the next token, even an option',
      ['--rig-id', '--background'],
      ['rig-id=--background'],
    ],
    ['required arg takes a following --', ['--rig-id', '--'], ['rig-id=--']],
    ['required arg at the end', ['--rig-id'], ['missing-value:--rig-id']],
    ['optional arg bare', ['--wrmsr'], ['wrmsr']],
    ['optional arg with =', ['--randomx-wrmsr=3'], ['randomx-wrmsr=3']],
    ['optional arg never takes the next token', ['--wrmsr', '3'], ['wrmsr', 'operand:3']],
    ['no-arg option given a value', ['--nicehash=1'], ['unexpected-value:--nicehash']],
    // terminator and non-options
    [
      'everything after -- is an operand',
      ['--verbose', '--', '--background', '-B'],
      ['verbose', 'terminator', 'after--:--background', 'after--:-B'],
    ],
    [
      'options after a non-option are still parsed (permutation)',
      ['stray', '--back'],
      ['operand:stray', 'background'],
    ],
    ['a lone dash is an operand', ['-'], ['operand:-']],
    // case: getopt compares bytes
    ['--Background is unknown', ['--Background'], ['unknown:--Background']],
    ['-b is not -B', ['-b'], ['unknown:-b']],
    ['--RANDOMX-MODE is unknown', ['--RANDOMX-MODE=fast'], ['unknown:--RANDOMX-MODE']],
    // Entry.cpp's exact strings, wherever they sit; their prefixes mean nothing special
    [
      'exact help/version strings',
      ['-h', '--help', '-V', '--version', '--versions', '--export-topology'],
      [
        'exact:help',
        'exact:help',
        'exact:version',
        'exact:version',
        'exact:version',
        'exact:export-topology',
      ],
    ],
    ['an exact string used as a value still counts', ['--rig-id', '--help'], ['rig-id=--help', 'exact:help']],
    ['an exact string after -- still counts', ['--', '-V'], ['terminator', 'after--:-V', 'exact:version']],
    [
      'prefixes of the exact strings',
      ['--hel', '--vers', '--export'],
      ['unknown:--hel', 'unknown:--vers', 'unknown:--export'],
    ],
    ['--verb is verbose, not version', ['--verb'], ['verbose']],
  ])('%s', (_label, argv, expected) => {
    expect(resolve(...argv)).toEqual(expected);
  });

  it('keeps how each option was typed next to what it resolved to', () => {
    expect(resolveArgv(['--back', '-Bk', '--conf=/x'], XMRIG_OPTIONS)).toEqual([
      {
        kind: 'option',
        option: 'background',
        key: 'background',
        value: null,
        spelled: '--back',
        token: '--back',
      },
      { kind: 'option', option: 'background', key: 'background', value: null, spelled: '-B', token: '-Bk' },
      { kind: 'option', option: 'keepalive', key: 'keepalive', value: null, spelled: '-k', token: '-Bk' },
      { kind: 'option', option: 'config', key: 'config', value: '/x', spelled: '--conf', token: '--conf=/x' },
    ]);
  });

  it('lists every candidate of an ambiguous prefix in table order', () => {
    const [r] = resolveArgv(['--tls-c'], XMRIG_OPTIONS);
    expect(r).toMatchObject({ candidates: ['tls-cert', 'tls-cert-key', 'tls-ciphers', 'tls-ciphersuites'] });
  });
});

describe('the XMRig option table', () => {
  it('has unique names, and aliases that agree on has_arg (glibc only merges those)', () => {
    const names = XMRIG_LONG_OPTIONS.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
    for (const o of XMRIG_LONG_OPTIONS) {
      const aliases = XMRIG_LONG_OPTIONS.filter((a) => a.key === o.key);
      expect(
        aliases.every((a) => a.hasArg === o.hasArg),
        o.name,
      ).toBe(true);
      expect(names, `key ${o.key} names a real option`).toContain(o.key);
    }
  });

  it('gives every short option of the optstring a key and an argument flag', () => {
    const letters = XMRIG_OPTIONS.short.replace(/:/g, '');
    for (const c of letters) expect(XMRIG_OPTIONS.shortKeys[c], c).toBeDefined();
    // Short and long spellings agree on whether a value follows.
    for (const [c, key] of Object.entries(XMRIG_OPTIONS.shortKeys)) {
      const long = XMRIG_LONG_OPTIONS.find((o) => o.key === key);
      if (!long) continue;
      const takesArg = XMRIG_OPTIONS.short[XMRIG_OPTIONS.short.indexOf(c) + 1] === ':';
      expect(takesArg, `-${c} vs --${long.name}`).toBe(long.hasArg === 1);
    }
  });
});
