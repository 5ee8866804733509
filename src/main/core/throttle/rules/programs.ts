// Names of the programs running on this computer, for the "while these programs run" pause rule:
// Linux reads /proc (comm is cut at 15 characters, so argv[0]'s base name too); elsewhere ps-list.
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import psList from 'ps-list';

const normalise = (name: string) => name.toLowerCase().replace(/\.exe$/, '');

export function linuxPrograms(root = '/proc'): Set<string> {
  const names = new Set<string>();
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return names;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      names.add(normalise(readFileSync(`${root}/${pid}/comm`, 'utf8').trim()));
      // split() yields at least ''; kernel threads have an empty command line: that '' is dropped below
      const argv0 = readFileSync(`${root}/${pid}/cmdline`, 'utf8').split('\0')[0]!;
      names.add(normalise(basename(argv0)));
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  names.delete('');
  return names;
}

export async function runningPrograms(platform: NodeJS.Platform = process.platform): Promise<Set<string>> {
  if (platform === 'linux') return linuxPrograms();
  const list = await psList();
  return new Set(list.map((p) => normalise(basename(p.name))));
}
