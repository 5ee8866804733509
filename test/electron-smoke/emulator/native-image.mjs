// nativeImage as documented: createFromPath returns an EMPTY image (no error) when the file is missing,
// unreadable or not an image, and picks up a `name@2x.png` next to the file as the 2x representation.
import { existsSync, readFileSync } from 'node:fs';
import { extname, isAbsolute } from 'node:path';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR, or null when the bytes are not a PNG. */
function pngSize(bytes) {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (bytes.toString('ascii', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

export class NativeImage {
  #reps;
  /** Where it came from, for the smoke test's reports (Electron keeps no such field). */
  path;

  constructor(reps = [], path = null) {
    this.#reps = reps;
    this.path = path;
  }
  isEmpty() {
    return this.#reps.length === 0;
  }
  getSize(scaleFactor = 1) {
    const rep = this.#reps.find((r) => r.scale === scaleFactor) ?? this.#reps[0];
    if (!rep) return { width: 0, height: 0 };
    return { width: Math.round(rep.width / rep.scale), height: Math.round(rep.height / rep.scale) };
  }
  getScaleFactors() {
    return this.#reps.map((r) => r.scale);
  }
  getAspectRatio() {
    const { width, height } = this.getSize();
    return height === 0 ? 1 : width / height;
  }
  toPNG() {
    return this.#reps[0]?.bytes ?? Buffer.alloc(0);
  }
  toDataURL() {
    return `data:image/png;base64,${this.toPNG().toString('base64')}`;
  }
  setTemplateImage() {}
  isTemplateImage() {
    return false;
  }
  resize() {
    return this;
  }
}

function readRep(path, scale) {
  try {
    const bytes = readFileSync(path);
    const size = pngSize(bytes);
    return size === null ? null : { scale, bytes, ...size };
  } catch {
    return null;
  }
}

export const nativeImage = {
  createEmpty() {
    return new NativeImage();
  },
  createFromPath(path) {
    // Electron does not resolve relative paths against anything useful; they give an empty image.
    if (typeof path !== 'string' || !isAbsolute(path)) return new NativeImage([], String(path));
    const base = readRep(path, 1);
    if (base === null) return new NativeImage([], path);
    const ext = extname(path);
    const hiDpi = `${path.slice(0, path.length - ext.length)}@2x${ext}`;
    const double = existsSync(hiDpi) ? readRep(hiDpi, 2) : null;
    return new NativeImage(double ? [base, double] : [base], path);
  },
  createFromBuffer(buffer) {
    const size = pngSize(buffer);
    return new NativeImage(size ? [{ scale: 1, bytes: buffer, ...size }] : []);
  },
  createFromDataURL(url) {
    const match = /^data:image\/png;base64,(.*)$/.exec(url);
    return match ? nativeImage.createFromBuffer(Buffer.from(match[1], 'base64')) : new NativeImage();
  },
};

/** A window or tray `icon` option: a path or a NativeImage, as Electron accepts both. */
export function toImage(icon) {
  if (icon instanceof NativeImage) return icon;
  if (typeof icon === 'string') return nativeImage.createFromPath(icon);
  return new NativeImage();
}
