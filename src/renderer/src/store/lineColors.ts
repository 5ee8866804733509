// A miner keeps its chart colour: a slot chosen from a hash of its id (the next free one on a clash),
// remembered for the session and in localStorage, never derived from its position in the list.

/** Line colours with at least 3:1 contrast against both the light and the dark chart background. */
export const LINE_COLORS = [
  '#2f81f7',
  '#e5534b',
  '#2da44e',
  '#b7791f',
  '#a371f7',
  '#db61a2',
  '#1b9aaa',
  '#d1661a',
  '#6f6fe8',
  '#8c8c1f',
] as const;

const STORAGE_KEY = 'hashdeck.lineColors';
const MAX_REMEMBERED = 200;

function hashOf(id: string): number {
  // FNV-1a: cheap and spreads short ids well enough for 10 slots.
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function load(): Map<string, number> {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (parsed && typeof parsed === 'object') {
      const entries = Object.entries(parsed as Record<string, unknown>).filter(
        (e): e is [string, number] =>
          Number.isInteger(e[1]) && (e[1] as number) >= 0 && (e[1] as number) < LINE_COLORS.length,
      );
      return new Map(entries);
    }
  } catch {
    // Storage may be unavailable or hold something else: colours are then remembered for the session.
  }
  return new Map();
}

let slots: Map<string, number> | null = null;

function save(map: Map<string, number>): void {
  try {
    const recent = [...map.entries()].slice(-MAX_REMEMBERED);
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(recent)));
  } catch {
    // Not fatal: see load().
  }
}

/** The colour of each id; ids seen for the first time get a slot no other present id uses, if any is free. */
export function lineColors(ids: readonly string[]): Record<string, string> {
  slots ??= load();
  const map = slots;
  const used = new Set<number>();
  for (const id of ids) {
    const slot = map.get(id);
    if (slot !== undefined) used.add(slot);
  }
  let changed = false;
  for (const id of ids) {
    if (map.has(id)) continue;
    const preferred = hashOf(id) % LINE_COLORS.length;
    let slot = preferred;
    for (let k = 0; k < LINE_COLORS.length && used.has(slot); k += 1)
      slot = (preferred + k + 1) % LINE_COLORS.length;
    map.set(id, slot);
    used.add(slot);
    changed = true;
  }
  if (changed) save(map);
  return Object.fromEntries(ids.map((id) => [id, LINE_COLORS[map.get(id) ?? 0] as string]));
}

/** Forgets every assignment, remembered ones included (tests). */
export function resetLineColors(): void {
  slots = new Map();
}

/** Forgets the session's assignments only, as a reload does; the next call reads localStorage again. */
export function forgetSessionColors(): void {
  slots = null;
}
