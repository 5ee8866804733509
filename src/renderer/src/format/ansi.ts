// ANSI SGR text to styled segments via anser (no HTML strings): colours become CSS classes for the
// 16 standard colours and inline rgb() for 256-colour and truecolor codes. Text stays plain text; every
// other terminal sequence (titles, hyperlinks, cursor movement) is removed first.
import Anser from 'anser';
import { stripNonColourSequences } from './terminal';

export interface AnsiSegment {
  text: string;
  className: string;
  color?: string;
  background?: string;
}

const STANDARD = [
  [0, 0, 0],
  [187, 0, 0],
  [0, 187, 0],
  [187, 187, 0],
  [0, 0, 187],
  [187, 0, 187],
  [0, 187, 187],
  [255, 255, 255],
  [85, 85, 85],
  [255, 85, 85],
  [0, 255, 0],
  [255, 255, 85],
  [85, 85, 255],
  [255, 85, 255],
  [85, 255, 255],
  [255, 255, 255],
] as const;

/** The xterm 256-colour palette entry n as "r, g, b". */
export function paletteRgb(n: number): string {
  if (n < 16) return (STANDARD[n] ?? STANDARD[7]).join(', ');
  if (n < 232) {
    const i = n - 16;
    const level = (v: number): number => (v === 0 ? 0 : 55 + v * 40);
    return [level(Math.floor(i / 36)), level(Math.floor(i / 6) % 6), level(i % 6)].join(', ');
  }
  const grey = 8 + (n - 232) * 10;
  return [grey, grey, grey].join(', ');
}

function colour(
  name: string | null,
  truecolor: string | null,
  kind: 'fg' | 'bg',
): { cls?: string; rgb?: string } {
  if (!name) return {};
  if (name === 'ansi-truecolor') return truecolor ? { rgb: `rgb(${truecolor})` } : {};
  const palette = /^ansi-palette-(\d+)$/.exec(name);
  if (palette) return { rgb: `rgb(${paletteRgb(Number(palette[1]))})` };
  return { cls: `${name}-${kind}` };
}

export function ansiSegments(text: string): AnsiSegment[] {
  const entries = Anser.ansiToJson(stripNonColourSequences(text), { use_classes: true, remove_empty: true });
  return entries.map((e) => {
    const fg = colour(e.fg, e.fg_truecolor, 'fg');
    const bg = colour(e.bg, e.bg_truecolor, 'bg');
    const classes = [fg.cls, bg.cls, ...e.decorations.map((d) => `ansi-${d}`)].filter(Boolean);
    const seg: AnsiSegment = { text: e.content, className: classes.join(' ') };
    if (fg.rgb) seg.color = fg.rgb;
    if (bg.rgb) seg.background = bg.rgb;
    return seg;
  });
}
