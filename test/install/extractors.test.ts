// The tar.gz and zip extractors on their own: limits at their exact bounds, modes, folders, duplicates,
// special files and links, encrypted or broken zips, cancel, and which extractor a name picks.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, readlink, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFailureOf } from '../../src/main/core/install/errors';
import { DEFAULT_EXTRACT_LIMITS, archiveFormat, extractArchive } from '../../src/main/core/install/extract';
import { makeTarGz, makeZip, type ArchiveEntry } from './support/archives';
import { rejection } from './support/harness';

const posix = process.platform !== 'win32';
let dir = '';
let out = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hashdeck-extractors-'));
  out = path.join(dir, 'out');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function archive(format: 'tar.gz' | 'zip', entries: ArchiveEntry[] | Buffer): Promise<string> {
  const file = path.join(dir, `a-${Math.random().toString(16).slice(2)}.${format}`);
  const bytes = Buffer.isBuffer(entries)
    ? entries
    : format === 'zip'
      ? await makeZip(entries)
      : makeTarGz(entries);
  await writeFile(file, bytes);
  return file;
}

const sorted = <T extends { path: string }>(files: T[]) =>
  [...files].sort((a, b) => a.path.localeCompare(b.path));

/** A tar.gz of raw headers (any type node-tar knows), each with an empty body. */
function rawTar(headers: { path: string; type: string; size?: number }[]): Buffer {
  const parts: Buffer[] = [];
  for (const h of headers) {
    const block = Buffer.alloc(512);
    new Header({
      path: h.path,
      mode: 0o644,
      size: h.size ?? 0,
      mtime: new Date(0),
      type: h.type as 'File',
    }).encode(block, 0);
    parts.push(block);
    if (h.size) parts.push(Buffer.alloc(Math.ceil(h.size / 512) * 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

describe('which extractor', () => {
  it('goes by the name, case-insensitively', () => {
    expect(archiveFormat('x.tar.gz')).toBe('tar.gz');
    expect(archiveFormat('X.TGZ')).toBe('tar.gz');
    expect(archiveFormat('x.ZIP')).toBe('zip');
    expect(archiveFormat('x.tar.xz')).toBeNull();
    expect(archiveFormat('x.gz')).toBeNull();
    expect(DEFAULT_EXTRACT_LIMITS).toEqual({ maxEntries: 10_000, maxTotalBytes: 512 * 1024 * 1024 });
  });

  it('refuses a format it does not know', async () => {
    const err = await rejection(extractArchive(path.join(dir, 'x'), 'rar' as 'zip', out));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toBe('Unsupported archive format: rar');
    expect(installFailureOf(err)).toBe('no-asset');
  });
});

for (const format of ['tar.gz', 'zip'] as const) {
  describe(`${format} extraction`, () => {
    it('writes files and folders; modes keep only owner rw plus the archive’s read and exec bits', async () => {
      const files = await extractArchive(
        await archive(format, [
          { path: './', type: 'dir' },
          { path: 'top/', type: 'dir' },
          { path: 'top/empty/', type: 'dir' },
          { path: 'top/locked', content: 'l', mode: 0o000 },
          { path: 'top/group', content: 'g', mode: 0o070 },
          { path: 'top/x', content: 'xx', mode: 0o751 },
        ]),
        format,
        out,
      );
      expect(sorted(files)).toEqual([
        { path: 'top/group', mode: 0o650 },
        { path: 'top/locked', mode: 0o600 },
        { path: 'top/x', mode: 0o751 },
      ]);
      expect((await stat(path.join(out, 'top', 'empty'))).isDirectory()).toBe(true);
      expect(await readFile(path.join(out, 'top', 'x'), 'utf8')).toBe('xx');
      if (posix) expect((await stat(path.join(out, 'top', 'locked'))).mode & 0o777).toBe(0o600);
    });

    it('accepts exactly the entry and size limits, refuses one more', async () => {
      const entries = [
        { path: 'a', content: '12345' },
        { path: 'b', content: '12345' },
      ];
      const ok = await extractArchive(await archive(format, entries), format, out, {
        maxEntries: 2,
        maxTotalBytes: 10,
      });
      expect(ok).toHaveLength(2);
      const many = await rejection(
        extractArchive(await archive(format, entries), format, path.join(dir, 'o2'), {
          maxEntries: 1,
          maxTotalBytes: 10,
        }),
      );
      expect(many.code).toBe('VERIFICATION_FAILED');
      expect(installFailureOf(many)).toBe('corrupt-archive');
      expect(many.message).toContain('more than 1 entries');
      const big = await rejection(
        extractArchive(await archive(format, entries), format, path.join(dir, 'o3'), {
          maxEntries: 2,
          maxTotalBytes: 9,
        }),
      );
      expect(big.code).toBe('VERIFICATION_FAILED');
      expect(installFailureOf(big)).toBe('corrupt-archive');
      expect(big.message).toContain('more than 9 bytes');
    });

    it('refuses an entry listed twice instead of overwriting the first', async () => {
      const err = await rejection(
        extractArchive(
          await archive(format, [
            { path: 'top/xmrig', content: 'good' },
            { path: 'top/xmrig', content: 'evil' },
          ]),
          format,
          out,
        ),
      );
      expect(installFailureOf(err)).toBe('storage');
      expect(err.message).toContain(`Could not write ${path.join(out, 'top', 'xmrig')}`);
    });

    it('names the link it refuses', async () => {
      const err = await rejection(
        extractArchive(
          await archive(format, [{ path: 'l', type: 'symlink', linkpath: 'target' }]),
          format,
          out,
        ),
      );
      expect(installFailureOf(err)).toBe('unsafe-archive');
      expect(err.message).toContain(
        format === 'zip' ? '(symbolic link: "l")' : '(symbolic link to target: "l")',
      );
    });

    it('stops at once when cancelled', async () => {
      const controller = new AbortController();
      controller.abort();
      const err = await rejection(
        extractArchive(
          await archive(format, [{ path: 'a', content: 'x' }]),
          format,
          out,
          DEFAULT_EXTRACT_LIMITS,
          controller.signal,
        ),
      );
      expect(err.code).toBe('CANCELLED');
      expect(existsSync(path.join(out, 'a'))).toBe(false);
    });

    it('a target it cannot create is a storage failure, not a bad archive', async () => {
      const blocked = path.join(dir, 'blocked');
      await writeFile(blocked, 'x');
      const file = await rejection(
        extractArchive(await archive(format, [{ path: 'top/a', content: 'x' }]), format, blocked),
      );
      expect(installFailureOf(file)).toBe('storage');
      expect(file.message).toContain(
        format === 'zip'
          ? `Could not create ${path.join(blocked, 'top')}: `
          : `Could not write ${path.join(blocked, 'top', 'a')}: `,
      );
      const folder = await rejection(
        extractArchive(await archive(format, [{ path: 'top/', type: 'dir' }]), format, blocked),
      );
      expect(installFailureOf(folder)).toBe('storage');
      expect(folder.message).toContain(`Could not create ${path.join(blocked, 'top')}: `);
    });
  });
}

describe('tar.gz specifics', () => {
  it('names hard links, special files and nameless files it refuses', async () => {
    const hard = await rejection(
      extractArchive(
        await archive('tar.gz', [{ path: 'h', type: 'hardlink', linkpath: 'other' }]),
        'tar.gz',
        out,
      ),
    );
    expect(hard.message).toContain('(hard link to other: "h")');
    const fifo = await rejection(
      extractArchive(await archive('tar.gz', rawTar([{ path: 'p', type: 'FIFO' }])), 'tar.gz', out),
    );
    expect(installFailureOf(fifo)).toBe('unsafe-archive');
    expect(fifo.message).toContain('(special file (FIFO): "p")');
    const nameless = await rejection(
      extractArchive(await archive('tar.gz', rawTar([{ path: '.', type: 'File' }])), 'tar.gz', out),
    );
    expect(nameless.message).toContain('(file without a name: ".")');
  });

  it('a file that is not gzip at all is a corrupt archive', async () => {
    const err = await rejection(
      extractArchive(await archive('tar.gz', Buffer.from('plain text, no gzip')), 'tar.gz', out),
    );
    expect(err.code).toBe('VERIFICATION_FAILED');
    expect(installFailureOf(err)).toBe('corrupt-archive');
    expect(err.message).toMatch(/^The archive is not a valid tar\.gz: /);
  });

  it('after a refusal, later entries are not written', async () => {
    const err = await rejection(
      extractArchive(
        await archive('tar.gz', [
          { path: 'first', content: 'x' },
          { path: '../evil', content: 'x' },
          { path: 'later', content: 'x' },
        ]),
        'tar.gz',
        out,
      ),
    );
    expect(installFailureOf(err)).toBe('unsafe-archive');
    expect(existsSync(path.join(out, 'later'))).toBe(false);
  });

  it('the first refusal is the one reported; no folder is made after it, even when the rest is corrupt', async () => {
    const good = gunzipSync(
      makeTarGz([
        { path: '../evil', content: 'x' },
        { path: 'later', type: 'dir' },
      ]),
    );
    // Cut off the end-of-archive blocks and append a header block that fails its checksum.
    const body = good.subarray(0, good.length - 1024);
    const corrupt = Buffer.concat([body, Buffer.alloc(512, 0x41), Buffer.alloc(1024)]);
    const err = await rejection(extractArchive(await archive('tar.gz', gzipSync(corrupt)), 'tar.gz', out));
    expect(err).toMatchObject({ code: 'VERIFICATION_FAILED', details: { reason: 'unsafe-archive' } });
    expect(existsSync(path.join(out, 'later'))).toBe(false);
    // On its own, the corrupt tail is a corrupt archive (so the test above did reach it).
    const tail = Buffer.concat([gunzipSync(makeTarGz([{ path: 'ok', content: 'x' }])).subarray(0, 1024)]);
    const alone = await rejection(
      extractArchive(
        await archive('tar.gz', gzipSync(Buffer.concat([tail, Buffer.alloc(512, 0x41), Buffer.alloc(1024)]))),
        'tar.gz',
        path.join(dir, 'o2'),
      ),
    );
    expect(alone).toMatchObject({ code: 'VERIFICATION_FAILED', details: { reason: 'corrupt-archive' } });
  });
});

/** Sets bits of the general-purpose flag in every local and central header of a zip. */
function patchZipFlags(zip: Buffer, bits: number): Buffer {
  const out = Buffer.from(zip);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50) out.writeUInt16LE(out.readUInt16LE(i + 6) | bits, i + 6);
    if (sig === 0x02014b50) out.writeUInt16LE(out.readUInt16LE(i + 8) | bits, i + 8);
  }
  return out;
}

/** Sets "version made by" of every central header (the host in the high byte: 0 = MS-DOS, 3 = Unix). */
function patchZipHost(zip: Buffer, host: number): Buffer {
  const out = Buffer.from(zip);
  for (let i = 0; i + 4 <= out.length; i++) {
    if (out.readUInt32LE(i) === 0x02014b50) out.writeUInt8(host, i + 5);
  }
  return out;
}

/** Calls `at` with the offset of every central-directory (0x02014b50) or local (0x04034b50) header. */
function eachHeader(zip: Buffer, signature: number, at: (offset: number) => void): Buffer {
  for (let i = 0; i + 4 <= zip.length; i++) if (zip.readUInt32LE(i) === signature) at(i);
  return zip;
}
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Open descriptors of this process on `file` (Linux: /proc/self/fd). */
async function openOn(file: string): Promise<number> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((t) => t === file).length;
}

describe('zip specifics', () => {
  // An archive left open cannot be deleted on Windows and leaks a descriptor per install everywhere.
  it.skipIf(process.platform !== 'linux')(
    'closes the archive when done, after success and after a refusal (Linux: reads /proc/self/fd)',
    async () => {
      const good = await archive('zip', [{ path: 'f', content: 'x' }]);
      await extractArchive(good, 'zip', out);
      // Refused by the extractor itself (one entry too many), not by yauzl.
      const bad = await archive('zip', [
        { path: 'a', content: 'x' },
        { path: 'b', content: 'x' },
      ]);
      const limits = { maxEntries: 1, maxTotalBytes: 100 };
      await rejection(extractArchive(bad, 'zip', path.join(dir, 'o2'), limits));
      // The descriptor is closed on the thread pool a moment after yauzl lets go of it.
      await vi.waitFor(async () => expect(await openOn(good)).toBe(0), { timeout: 3000 });
      await vi.waitFor(async () => expect(await openOn(bad)).toBe(0), { timeout: 3000 });
    },
  );

  it('reads the Unix mode of an entry made on Unix: no type bits is a file, the folder type is a folder', async () => {
    // Central header offset 40: the high half of the external attributes (the Unix st_mode).
    const plain = Buffer.from(await makeZip([{ path: 'f', content: 'x' }]));
    eachHeader(plain, CENTRAL, (i) => plain.writeUInt16LE(0o644, i + 40));
    expect(await extractArchive(await archive('zip', plain), 'zip', out)).toEqual([
      { path: 'f', mode: 0o644 },
    ]);
    const folder = Buffer.from(await makeZip([{ path: 'dd', content: '' }]));
    eachHeader(folder, CENTRAL, (i) => folder.writeUInt16LE(0o40755, i + 40));
    const o2 = path.join(dir, 'o2');
    expect(await extractArchive(await archive('zip', folder), 'zip', o2)).toEqual([]);
    expect((await stat(path.join(o2, 'dd'))).isDirectory()).toBe(true);
  });

  it('a name with backslashes (made on Windows) unpacks into folders', async () => {
    const zip = Buffer.from(await makeZip([{ path: 'a_b', content: 'x' }]));
    for (let at = zip.indexOf('a_b'); at >= 0; at = zip.indexOf('a_b', at + 3)) zip.write('a\\b', at);
    expect(await extractArchive(await archive('zip', zip), 'zip', out)).toEqual([
      { path: 'a/b', mode: 0o644 },
    ]);
    expect(await readFile(path.join(out, 'a', 'b'), 'utf8')).toBe('x');
  });

  it("a body it cannot read is a corrupt archive naming yauzl's or zlib's reason", async () => {
    const content = 'hello hello hello hello hello hello hello';
    const method = Buffer.from(await makeZip([{ path: 'f', content }]));
    eachHeader(method, CENTRAL, (i) => method.writeUInt16LE(99, i + 10));
    eachHeader(method, LOCAL, (i) => method.writeUInt16LE(99, i + 8));
    const unsupported = await rejection(extractArchive(await archive('zip', method), 'zip', out));
    expect(unsupported).toMatchObject({
      code: 'VERIFICATION_FAILED',
      message: 'The archive is not a valid zip: unsupported compression method: 99',
    });
    const deflate = Buffer.from(await makeZip([{ path: 'f', content }]));
    eachHeader(deflate, LOCAL, (i) => {
      const data = i + 30 + deflate.readUInt16LE(i + 26) + deflate.readUInt16LE(i + 28);
      deflate.fill(0xff, data, data + 4);
    });
    const broken = await rejection(
      extractArchive(await archive('zip', deflate), 'zip', path.join(dir, 'o2')),
    );
    // zlib's error has a code (Z_DATA_ERROR), but it is the archive's fault, not the disk's.
    expect(installFailureOf(broken)).toBe('corrupt-archive');
    expect(broken.message).toBe('The archive is not a valid zip: invalid block type');
  });

  it('a zip not made on Unix gets plain file modes; a folder is a name ending in "/"', async () => {
    const zip = patchZipHost(
      await makeZip([
        { path: 'top/', type: 'dir' },
        { path: 'top/x', content: 'x', mode: 0o755 },
      ]),
      0,
    );
    const files = await extractArchive(await archive('zip', zip), 'zip', out);
    expect(files).toEqual([{ path: 'top/x', mode: 0o644 }]);
  });

  it('refuses special files and encrypted entries', async () => {
    const zip = await makeZip([{ path: 'pipe', content: '', mode: 0o644 }]);
    // Turn the regular-file type bits (0o100000) into a FIFO (0o010000) in the central directory.
    const fifo = Buffer.from(zip);
    for (let i = 0; i + 4 <= fifo.length; i++) {
      if (fifo.readUInt32LE(i) === 0x02014b50) fifo.writeUInt16LE(0o010644, i + 40);
    }
    const special = await rejection(extractArchive(await archive('zip', fifo), 'zip', out));
    expect(installFailureOf(special)).toBe('unsafe-archive');
    expect(special.message).toContain('(special file: "pipe")');

    const enc = await rejection(
      extractArchive(
        await archive('zip', patchZipFlags(await makeZip([{ path: 'secret', content: 'x' }]), 1)),
        'zip',
        out,
      ),
    );
    expect(installFailureOf(enc)).toBe('corrupt-archive');
    expect(enc.message).toBe('The archive is not a valid zip: secret is encrypted');
  });

  it('refuses a file entry whose name is only "." segments', async () => {
    const zip = Buffer.from(await makeZip([{ path: 'ZZZ', content: 'x' }]));
    for (let at = zip.indexOf('ZZZ'); at >= 0; at = zip.indexOf('ZZZ', at + 3)) zip.write('./.', at);
    const err = await rejection(extractArchive(await archive('zip', zip), 'zip', out));
    expect(installFailureOf(err)).toBe('unsafe-archive');
    expect(err.message).toContain('(file without a name: "./.")');
  });

  it('a name yauzl refuses is an unsafe entry naming why', async () => {
    const err = await rejection(
      extractArchive(await archive('zip', [{ path: 'a/../../evil', content: 'x' }]), 'zip', out),
    );
    expect(installFailureOf(err)).toBe('unsafe-archive');
    expect(err.message).toBe(
      'The archive holds an entry that would escape its folder (invalid relative path: "a/../../evil"). Refused.',
    );
  });

  it('a file that is not a zip, or a body that does not match its size, is corrupt', async () => {
    const junk = await rejection(
      extractArchive(await archive('zip', Buffer.from('no zip here at all')), 'zip', out),
    );
    expect(installFailureOf(junk)).toBe('corrupt-archive');
    expect(junk.message).toMatch(/^The archive is not a valid zip: End of central directory record/);

    const zip = Buffer.from(await makeZip([{ path: 'f', content: 'hello world' }]));
    // Claim a larger uncompressed size in the central directory than the body inflates to.
    for (let i = 0; i + 4 <= zip.length; i++) {
      if (zip.readUInt32LE(i) === 0x02014b50) zip.writeUInt32LE(12, i + 24);
    }
    const short = await rejection(extractArchive(await archive('zip', zip), 'zip', path.join(dir, 'o2')));
    expect(installFailureOf(short)).toBe('corrupt-archive');
    expect(short.message).toBe(
      'The archive is not a valid zip: not enough bytes in the stream. expected 12. got only 11',
    );
  });
});
