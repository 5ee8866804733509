// Builds tar.gz and zip archives byte by byte for the installer tests, including the hostile entries a
// normal packer refuses to write (`..`, absolute paths, links): node-tar's Header and yazl plus a patch.
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import yazl from 'yazl';

export interface ArchiveEntry {
  path: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  content?: Buffer | string;
  mode?: number;
  /** Target of a link. */
  linkpath?: string;
}

const MTIME = new Date('2026-01-01T00:00:00Z');

function tarBlock(entry: ArchiveEntry, size: number): Buffer {
  const type = entry.type ?? 'file';
  const header = new Header({
    path: entry.path,
    mode: entry.mode ?? (type === 'dir' ? 0o755 : 0o644),
    uid: 0,
    gid: 0,
    size,
    mtime: MTIME,
    type:
      type === 'dir'
        ? 'Directory'
        : type === 'symlink'
          ? 'SymbolicLink'
          : type === 'hardlink'
            ? 'Link'
            : 'File',
    linkpath: entry.linkpath ?? '',
    uname: '',
    gname: '',
  });
  const block = Buffer.alloc(512);
  header.encode(block, 0);
  return block;
}

export function makeTarGz(entries: readonly ArchiveEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = e.type === 'file' || e.type === undefined ? Buffer.from(e.content ?? '') : Buffer.alloc(0);
    parts.push(tarBlock(e, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts), { level: 1 });
}

/** Names yazl refuses are written under a same-length stand-in, then patched in the finished bytes. */
function standIn(name: string, i: number): string {
  const safe = `p${i}`.padEnd(name.length, 'x');
  if (safe.length !== name.length) throw new Error(`name too short to patch: ${name}`);
  return safe;
}

export async function makeZip(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const patches: [string, string][] = [];
  entries.forEach((e, i) => {
    const hostile = e.path.startsWith('/') || e.path.split('/').includes('..') || /^[a-zA-Z]:/.test(e.path);
    const name = hostile ? standIn(e.path, i) : e.path;
    if (hostile) patches.push([name, e.path]);
    const type = e.type ?? 'file';
    if (type === 'dir') zip.addEmptyDirectory(name, { mtime: MTIME, mode: 0o40755 });
    else if (type === 'symlink') {
      zip.addBuffer(Buffer.from(e.linkpath ?? ''), name, { mtime: MTIME, mode: 0o120777 });
    } else
      zip.addBuffer(Buffer.from(e.content ?? ''), name, { mtime: MTIME, mode: 0o100000 | (e.mode ?? 0o644) });
  });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  const out = Buffer.concat(chunks);
  for (const [from, to] of patches) replaceAll(out, Buffer.from(from), Buffer.from(to));
  return out;
}

/** Overwrites every occurrence in place (local header and central directory both carry the name). */
function replaceAll(buf: Buffer, from: Buffer, to: Buffer): void {
  let at = buf.indexOf(from);
  if (at < 0) throw new Error('patch target not found');
  while (at >= 0) {
    to.copy(buf, at);
    at = buf.indexOf(from, at + to.length);
  }
}
