// The XMRig allow-list: every attack spelling from issue 6 is refused with a message naming what it is,
// and the tuning options users need are accepted in any spelling getopt accepts, then canonicalised.
import { describe, expect, it } from 'vitest';
import { resolveArgv } from './getopt';
import { checkXmrigArgs, XMRIG_ALLOWED, XMRIG_REFUSED } from './xmrig';
import { XMRIG_LONG_OPTIONS, XMRIG_OPTIONS } from './xmrig-options';

function errorOf(cliArgs: string, threads?: number): string {
  const r = checkXmrigArgs(cliArgs, { threads });
  expect(r.ok, cliArgs).toBe(false);
  return r.ok ? '' : (r.errors[0] ?? '');
}

function canonical(cliArgs: string): string[] {
  const r = checkXmrigArgs(cliArgs);
  if (!r.ok) throw new Error(`${cliArgs}: ${r.errors.join('; ')}`);
  return r.args.map((a) => a.canonical);
}

const FP = 'a'.repeat(32) + 'B'.repeat(32);

describe('checkXmrigArgs refuses the attacks from issue 6', () => {
  it.each([
    [
      '--back',
      '"--back" is --background, which the app does not allow (it would move the miner out of supervision)',
    ],
    [
      '-c/x',
      '"-c" in "-c/x" is --config, which the app does not allow (it reads or writes a file at a path the app does not control)',
    ],
    [
      '--conf=/x',
      '"--conf" is --config, which the app does not allow (it reads or writes a file at a path the app does not control)',
    ],
    [
      '--log-f=',
      '"--log-f" is --log-file, which the app does not allow (it reads or writes a file at a path the app does not control)',
    ],
    [
      '--http-por=',
      '"--http-por" is --http-port, which the app does not allow (it changes the miner\'s HTTP API, which the app owns (loopback only, its own token))',
    ],
    [
      '--http-h=0.0.0.0',
      '"--http-h" is --http-host, which the app does not allow (it changes the miner\'s HTTP API, which the app owns (loopback only, its own token))',
    ],
    [
      '--http-acc=',
      '"--http-acc" is --http-access-token, which the app does not allow (it changes the miner\'s HTTP API, which the app owns (loopback only, its own token))',
    ],
    [
      '--http-no-r',
      '"--http-no-r" is --http-no-restricted, which the app does not allow (it changes the miner\'s HTTP API, which the app owns (loopback only, its own token))',
    ],
    ['--ben', '"--ben" is --bench, which the app does not allow (it runs a benchmark instead of mining)'],
    [
      '-Bk',
      '"-B" in "-Bk" is --background, which the app does not allow (it would move the miner out of supervision)',
    ],
    ['-b0.0.0.0:4068', '"-b" in "-b0.0.0.0:4068" is not an XMRig 6.26.0 option'],
    ['--opencl-loader=/x.so', '"--opencl-loader" is not allowed (it loads a library from a path)'],
    ['--cuda-loader=/x.so', '"--cuda-loader" is not allowed (it loads a library from a path)'],
    [
      '--config /x',
      '"--config" is not allowed (it reads or writes a file at a path the app does not control)',
    ],
    [
      '-S',
      '"-S" is --syslog, which the app does not allow (it sends the miner\'s log to the system log instead of the app)',
    ],
    ['--help', '"--help" is not allowed (it prints the usage and exits instead of mining)'],
    ['-V', '"-V" is not allowed (it prints the version and exits instead of mining)'],
    [
      '--export-topology',
      '"--export-topology" is not allowed (it writes topology files to the working folder and exits)',
    ],
    ['-P', '"-P" is not allowed (XMRig 6.26.0 does not document what it does)'],
    ['--foo', '"--foo" is not an XMRig 6.26.0 option'],
    ['--api-bind=0.0.0.0:1', '"--api-bind" is not an XMRig 6.26.0 option'],
  ])('%s', (cliArgs, message) => {
    expect(errorOf(cliArgs)).toBe(message);
  });

  it.each([
    '--config=/x',
    '--log-file=/x',
    '--data-dir=/x',
    '--syslog',
    '--background',
    '--dry-run',
    '--http-enabled',
    '--http-host=0.0.0.0',
    '--http-port=1',
    '--http-access-token=t',
    '--http-no-restricted',
    '--api-worker-id=w',
    '--api-id=i',
    '--bench=1M',
    '--benchmark=1M',
    '--stress',
    '--submit',
    '--verify=x',
    '--token=x',
    '--seed=x',
    '--hash=x',
    '--tls-cert=/x',
    '--tls-cert-key=/x',
    '--tls-dhparam=/x',
    '--tls-gen=host',
    '--tls-protocols=x',
    '--tls-ciphers=x',
    '--tls-ciphersuites=x',
    '--pause-on-battery',
    '--pause-on-active=60',
    '--title=x',
    '--no-title',
    '--version',
    '--versions',
    '-h',
    '--daemon',
    '--daemon-poll-interval=1',
    '--self-select=h',
    '--submit-to-origin',
    '--proxy=h:1',
    '-x',
    '--url=h:1',
    '-o',
    '--user=u',
    '-u',
    '--pass=p',
    '-p',
    '--userpass=u:p',
    '-O',
    '--coin=monero',
    '--algo=rx/0',
    '-a',
    '--spend-secret-key=k',
    '--user-agent=x',
    '--tls',
    '--keepalive',
    '-k',
    '--threads=2',
    '-t',
    '--cpu-priority=5',
    '--cpu-max-threads-hint=50',
    '--donate-level=0',
    '--donate-over-proxy=0',
    '--no-huge-pages',
    '--no-hugepages',
    '--hugepage-size=2048',
    '--no-color',
    '--no-cpu',
    '--max-cpu-usage=50',
    '--av=1',
    '-v',
    '--opencl',
    '--cuda',
    '--no-nvml',
    '--cuda-devices=0',
    '--astrobwt-avx2',
    '-T',
    '-l',
    '-B',
  ])('refuses %s', (cliArgs) => {
    expect(errorOf(cliArgs)).toMatch(
      /^"-[^"]*"( in "[^"]*")? is (not allowed|--[a-z0-9-]+, which the app does not allow) \(.+\)$/,
    );
  });

  it('names the structured field that manages an option', () => {
    expect(errorOf('--threads=8')).toMatch(/profile's Threads field/);
    expect(errorOf('-o pool:1')).toBe(
      `"-o" is --url, which the app does not allow (the app sets it from the profile's Pool field)`,
    );
    expect(errorOf('--no-huge')).toMatch(/"--no-huge" is --no-huge-pages, .*Huge pages switch/);
  });

  it.each([
    ['an en dash', '–-background'],
    ['an em dash', '—background'],
    ['a minus sign', '−−back'],
    ['fullwidth hyphens', '－－back'],
    ['a Unicode hyphen inside', '--back‐ground'],
    ['a soft hyphen', '--back\u00adground'],
  ])('refuses %s with "use a plain ASCII hyphen"', (_label, cliArgs) => {
    expect(errorOf(cliArgs)).toMatch(/use a plain ASCII hyphen "-"$/);
  });

  it('refuses look-alike letters and Unicode spaces, naming the character', () => {
    expect(errorOf('--rаndomx-mode=light')).toBe(
      '"--rаndomx-mode=light" contains "а" (U+0430), which is not plain ASCII: type options and values in plain ASCII',
    );
    expect(errorOf('--verbose\u00a0--background')).toMatch(
      /Unicode space \(U\+00A0\): separate arguments with plain spaces/,
    );
    expect(errorOf('--print-time=５')).toMatch(/U\+FF15/);
  });

  it('is case-sensitive like getopt, and suggests the right case', () => {
    expect(errorOf('--Background')).toBe(
      '"--Background" is not an XMRig 6.26.0 option (options are case-sensitive: --background?)',
    );
    expect(errorOf('--RANDOMX-MODE=light')).toMatch(/case-sensitive: --randomx-mode\?/);
    expect(errorOf('-b')).toBe('"-b" is not an XMRig 6.26.0 option');
  });

  it('refuses control characters and shell metacharacters', () => {
    expect(errorOf('--rig-id=a\u0007')).toBe(
      'Extra argument "--rig-id=a\\u0007" contains a control character',
    );
    expect(errorOf('--rig-id=$(id)')).toBe(
      'Extra argument "--rig-id=$(id)" contains a shell metacharacter ($)',
    );
    expect(errorOf('--verbose;reboot')).toMatch(/shell metacharacter \(;\)/);
  });

  it('refuses non-options, anything after --, and ambiguous prefixes', () => {
    expect(errorOf('stray --verbose')).toBe('"stray" is not an option: XMRig takes no plain arguments');
    expect(errorOf('--verbose -- --background')).toBe(
      '"--background" comes after "--", where XMRig reads no options: remove "--"',
    );
    expect(errorOf('--tls-c=x')).toBe(
      '"--tls-c" is ambiguous in XMRig 6.26.0 (--tls-cert, --tls-cert-key, --tls-ciphers, --tls-ciphersuites): type the full option name',
    );
    expect(errorOf('--randomx-no')).toMatch(/ambiguous .*--randomx-no-numa, --randomx-no-rdmsr/);
  });

  it('does not let a value hide an option or an exact string', () => {
    // glibc gives "--background" to --rig-id as its value: the value check refuses it.
    expect(errorOf('--rig-id --background')).toBe(
      '"--rig-id": --rig-id may only use letters, digits, . _ - (up to 64)',
    );
    // XMRig's own exact check sees "--help" anywhere in argv.
    expect(checkXmrigArgs('--rig-id --help')).toMatchObject({
      ok: false,
      errors: expect.arrayContaining([
        '"--help" is not allowed (it prints the usage and exits instead of mining)',
      ]),
    });
  });

  it('reports every problem, in argv order', () => {
    const r = checkXmrigArgs('--back --verbose --conf=/x');
    expect(r.ok ? [] : r.errors).toEqual([
      expect.stringContaining('--background'),
      expect.stringContaining('--config'),
    ]);
  });
});

describe('checkXmrigArgs accepts tuning options and canonicalises them', () => {
  it.each([
    ['--randomx-mode=light', ['--randomx-mode=light']],
    ['--randomx-mode light', ['--randomx-mode=light']],
    ['--randomx-m=fast', ['--randomx-mode=fast']],
    ['--randomx-1gb-pages', ['--randomx-1gb-pages']],
    ['--1gb-pages', ['--randomx-1gb-pages']],
    ['--randomx-wrmsr', ['--randomx-wrmsr']],
    ['--wrmsr=-1', ['--randomx-wrmsr=-1']],
    ['--randomx-wrmsr=15', ['--randomx-wrmsr=15']],
    ['--no-rdmsr', ['--randomx-no-rdmsr']],
    ['--randomx-no-r', ['--randomx-no-rdmsr']],
    ['--cache-qos', ['--randomx-cache-qos']],
    ['--randomx-init=2', ['--randomx-init=2']],
    ['--randomx-no-numa', ['--randomx-no-numa']],
    ['--cpu-affinity=0x3', ['--cpu-affinity=0x3']],
    ['--cpu-aff 0XFF', ['--cpu-affinity=0xff']],
    ['--cpu-affinity=5', ['--cpu-affinity=5']],
    ['--cpu-memory-pool=-1', ['--cpu-memory-pool=-1']],
    ['--cpu-no-yield', ['--cpu-no-yield']],
    ['--no-yield', ['--cpu-no-yield']],
    ['--asm=ryzen', ['--asm=ryzen']],
    ['--cpu-argon2-impl=AVX2', ['--argon2-impl=AVX2']],
    ['--argon2-impl=AVX-512F', ['--argon2-impl=AVX-512F']],
    ['--print-time=5', ['--print-time=5']],
    ['-s 5', ['--print-time=5']],
    ['--print-time=007', ['--print-time=7']],
    ['--health-print-time=0', ['--health-print-time=0']],
    ['--no-dmi', ['--no-dmi']],
    ['--nicehash', ['--nicehash']],
    ['--rig-id=rig-01.a_b', ['--rig-id=rig-01.a_b']],
    [`--tls-fingerprint=${FP}`, [`--tls-fingerprint=${FP}`]],
    ['-r 3 -R5', ['--retries=3', '--retry-pause=5']],
    ['--verbose', ['--verbose']],
    ['--dns-ipv6 --dns-ttl=60', ['--dns-ipv6', '--dns-ttl=60']],
    [
      '  --randomx-mode=light\t--no-yield\n--print-time=5 ',
      ['--randomx-mode=light', '--cpu-no-yield', '--print-time=5'],
    ],
    ['--verbose --', ['--verbose']],
    ['', []],
  ])('%s', (cliArgs, expected) => {
    expect(canonical(cliArgs)).toEqual(expected);
  });

  it.each([
    ['--randomx-mode=fast2', '"--randomx-mode": --randomx-mode must be auto, fast or light'],
    ['--randomx-mode=FAST', '"--randomx-mode": --randomx-mode must be auto, fast or light'],
    ['--asm=/x', '"--asm": --asm must be none, auto, intel, ryzen or bulldozer'],
    ['--print-time=abc', '"--print-time": --print-time must be a whole number from 0 to 3600'],
    ['--print-time=99999', '"--print-time": --print-time must be a whole number from 0 to 3600'],
    ['-s-1', '"-s" in "-s-1": --print-time must be a whole number from 0 to 3600'],
    [
      '--cpu-affinity=0',
      '"--cpu-affinity": --cpu-affinity must be a CPU mask like 0x3 or 3 (one bit per core)',
    ],
    [
      '--cpu-affinity=0x1g',
      '"--cpu-affinity": --cpu-affinity must be a CPU mask like 0x3 or 3 (one bit per core)',
    ],
    [
      '--cpu-affinity=0xffffffffffffff',
      '"--cpu-affinity": --cpu-affinity must be a CPU mask like 0x3 or 3 (one bit per core)',
    ],
    ['--rig-id=-x', '"--rig-id": --rig-id may only use letters, digits, . _ - (up to 64)'],
    [
      '--tls-fingerprint=abc',
      '"--tls-fingerprint": --tls-fingerprint must be the 64 hex digits of a SHA-256 fingerprint',
    ],
    ['--wrmsr=16', '"--wrmsr": --randomx-wrmsr must be a whole number from -1 to 15'],
    ['--nicehash=1', '"--nicehash=1": --nicehash takes no value'],
    ['--rig-id', '"--rig-id" needs a value (--rig-id=VALUE)'],
    [
      '--randomx-mode=light --randomx-m=fast',
      '"--randomx-m" sets --randomx-mode a second time: give each option once',
    ],
    [
      '--1gb-pages --randomx-1gb-pages',
      '"--randomx-1gb-pages" sets --randomx-1gb-pages a second time: give each option once',
    ],
  ])('refuses the value in %s', (cliArgs, message) => {
    expect(errorOf(cliArgs)).toBe(message);
  });

  it('refuses --cpu-affinity where XMRig would ignore it (no explicit thread count)', () => {
    expect(errorOf('--cpu-affinity=0x3', 0)).toBe(
      '--cpu-affinity needs a thread count: XMRig applies the mask only when Threads is above 0',
    );
    expect(checkXmrigArgs('--cpu-affinity=0x3', { threads: 2 }).ok).toBe(true);
  });
});

describe('the XMRig allow-list covers the whole table', () => {
  const keys = new Set([
    ...XMRIG_LONG_OPTIONS.map((o) => o.key),
    ...Object.values(XMRIG_OPTIONS.shortKeys),
    ...XMRIG_OPTIONS.exactOnly.map((e) => e.key),
  ]);

  it('decides every key exactly once, and lists no key the table lacks', () => {
    for (const key of keys) {
      const allowed = Object.hasOwn(XMRIG_ALLOWED, key);
      const refused = Object.hasOwn(XMRIG_REFUSED, key);
      expect(allowed !== refused, `${key}: allowed ${allowed}, refused ${refused}`).toBe(true);
    }
    for (const key of [...Object.keys(XMRIG_ALLOWED), ...Object.keys(XMRIG_REFUSED)]) {
      expect(keys.has(key), key).toBe(true);
    }
  });

  it('emits canonical arguments that XMRig reads by exact name as the same allowed option', () => {
    for (const key of Object.keys(XMRIG_ALLOWED)) {
      const [r] = resolveArgv([`--${key}`], XMRIG_OPTIONS);
      expect(r?.kind === 'option' || r?.kind === 'missing-value', key).toBe(true);
      expect(r && 'key' in r ? r.key : null, key).toBe(key);
      expect(r && 'spelled' in r ? r.spelled : null).toBe(`--${key}`);
    }
  });
});
