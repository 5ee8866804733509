// The captured XMRig 6.26.0 wire bytes (test/data/xmrig-6.26.0/wire_*.txt): the bytes the real server
// sent for one request, cut where the annotation line says they end.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CAPTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../data/xmrig-6.26.0');

export interface WireCapture {
  bytes: Buffer;
  /** What the annotation says: how many complete responses were sent before the server closed. */
  responses: number;
  closed: boolean;
}

export function readCapture(name: string): WireCapture {
  const file = readFileSync(join(CAPTURES_DIR, name));
  const at = file.lastIndexOf('<<<');
  if (at < 0) throw new Error(`${name}: no <<< annotation line`);
  const note = file.subarray(at).toString('utf8');
  const m = /(\d+) bytes; (\d+) HTTP response\(s\)/.exec(note);
  if (!m) throw new Error(`${name}: unreadable annotation ${note}`);
  const length = Number(m[1]);
  // The annotation starts on its own line: at most one separator newline lies between bytes and note.
  if (at !== length && at !== length + 1)
    throw new Error(`${name}: ${at} bytes before the note, not ${length}`);
  return {
    bytes: file.subarray(0, length),
    responses: Number(m[2]),
    closed: /closed the connection/.test(note),
  };
}
