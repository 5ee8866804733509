// Regenerates the tray icons (16 px and @2x 32 px, one per state) and the 256 px app icon in resources/.
// Shapes are drawn with supersampling and written as PNG with node:zlib only; run: node scripts/make-icons.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources');
const SAMPLES = 4; // 4x4 samples per pixel: smooth edges even at 16 px

// ---------- PNG encoding ----------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** RGBA pixels (straight alpha, row-major) to a PNG file. */
function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------- drawing: a scene maps a point of the unit square to a colour or nothing ----------

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

/** Layers are painted bottom to top; each is { inside(x, y), color(x, y) -> [r, g, b] }. */
function render(size, layers) {
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy += 1) {
        for (let sx = 0; sx < SAMPLES; sx += 1) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          let color = null;
          for (const layer of layers) if (layer.inside(x, y)) color = layer.color(x, y);
          if (color) {
            r += color[0];
            g += color[1];
            b += color[2];
            a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      // Average only over covered samples (straight alpha), coverage becomes alpha.
      out[i] = a ? Math.round(r / a) : 0;
      out[i + 1] = a ? Math.round(g / a) : 0;
      out[i + 2] = a ? Math.round(b / a) : 0;
      out[i + 3] = Math.round((a / (SAMPLES * SAMPLES)) * 255);
    }
  }
  return out;
}

const solid = (h) => {
  const c = hex(h);
  return () => c;
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const any =
  (...shapes) =>
  (x, y) =>
    shapes.some((s) => s(x, y));

/** Distance from (x, y) to the segment a-b. */
function segmentDistance(x, y, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

function triangle(ax, ay, bx, by, cx, cy) {
  const side = (px, py, qx, qy, x, y) => (qx - px) * (y - py) - (qy - py) * (x - px);
  return (x, y) => {
    const d1 = side(ax, ay, bx, by, x, y);
    const d2 = side(bx, by, cx, cy, x, y);
    const d3 = side(cx, cy, ax, ay, x, y);
    return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
  };
}

// ---------- tray icons: a coloured disc with a media-style glyph, so state never relies on colour alone ----------

const WHITE = solid('#ffffff');

function trayLayers(state) {
  const disc = { idle: '#7c8591', mining: '#2f9e44', paused: '#e8a317', error: '#e03131' }[state];
  const rim = { idle: '#5c636d', mining: '#237a34', paused: '#b57c0c', error: '#b02525' }[state];
  // Straight edges sit on sixteenths so they stay crisp at 16 and 32 px.
  const p = (n) => n / 16;
  const glyph = {
    idle: rect(p(5), p(5), p(11), p(11)), // stop square
    mining: triangle(p(6), p(4.5), p(6), p(11.5), p(12), p(8)), // play
    paused: any(rect(p(5), p(4), p(7), p(12)), rect(p(9), p(4), p(11), p(12))), // pause bars
    error: any(rect(p(7), p(3), p(9), p(10)), rect(p(7), p(11), p(9), p(13))), // exclamation mark
  }[state];
  return [
    { inside: circle(0.5, 0.5, 0.48), color: solid(rim) },
    { inside: circle(0.5, 0.5, 0.42), color: solid(disc) },
    { inside: glyph, color: WHITE },
  ];
}

// ---------- app icon: a pickaxe and a green gem on a dark rounded square ----------

function roundedSquare(inset, radius) {
  return (x, y) => {
    const qx = Math.max(Math.abs(x - 0.5) - (0.5 - inset - radius), 0);
    const qy = Math.max(Math.abs(y - 0.5) - (0.5 - inset - radius), 0);
    return qx * qx + qy * qy <= radius * radius;
  };
}

function appLayers() {
  const top = hex('#2b3a4f');
  const bottom = hex('#111827');
  const background = (_x, y) => top.map((c, i) => Math.round(c + (bottom[i] - c) * y));

  // Handle from lower left to upper right; the head is a crescent bulging away from the handle.
  const [hx0, hy0, hx1, hy1] = [0.27, 0.78, 0.63, 0.38];
  const len = Math.hypot(hx1 - hx0, hy1 - hy0);
  const [ux, uy] = [(hx1 - hx0) / len, (hy1 - hy0) / len];
  const R = 0.42;
  const [cx, cy] = [hx1 + 0.05 * ux - R * ux, hy1 + 0.05 * uy - R * uy];
  const span = 0.8; // radians either side of the handle's axis
  const head = (x, y) => {
    const vx = x - cx;
    const vy = y - cy;
    const dist = Math.hypot(vx, vy);
    const angle = Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
    if (Math.abs(angle) > span) return false;
    const halfWidth = 0.065 * (1 - (angle / span) ** 2) + 0.004; // tapers to points
    return Math.abs(dist - R) <= halfWidth;
  };
  const steel = hex('#d5dde8');
  const steelShade = hex('#9aa8ba');
  const headColor = (x, y) => (Math.hypot(x - cx, y - cy) > R ? steel : steelShade);

  const handle = (x, y) => segmentDistance(x, y, hx0, hy0, hx1 + 0.03 * ux, hy1 + 0.03 * uy) <= 0.04;
  const gem = (x, y) => Math.abs(x - 0.72) + Math.abs(y - 0.74) <= 0.1;
  const gemLight = (x, y) => gem(x, y) && y < 0.74 - (x - 0.72) * 0.3;

  return [
    { inside: roundedSquare(0.03, 0.18), color: background },
    { inside: handle, color: solid('#c4843e') },
    { inside: head, color: headColor },
    { inside: gem, color: solid('#20b26b') },
    { inside: gemLight, color: solid('#5eead4') },
  ];
}

// ---------- write ----------

function write(name, size, layers) {
  const file = join(OUT, name);
  writeFileSync(file, encodePng(size, size, render(size, layers)));
  console.log(`wrote ${file} (${size}x${size})`);
}

mkdirSync(OUT, { recursive: true });
for (const state of ['idle', 'mining', 'paused', 'error']) {
  write(`tray-${state}.png`, 16, trayLayers(state));
  write(`tray-${state}@2x.png`, 32, trayLayers(state));
}
write('icon.png', 256, appLayers());
