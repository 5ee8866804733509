// Serves the built renderer (out/renderer) with correct types and security headers; unknown paths
// that look like app routes fall back to index.html, and nothing outside the folder is ever read.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/** Resolves a URL path inside root, or null if it would escape it. */
export function safeJoin(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = resolve(root, normalize(`.${sep}${decoded}`));
  const base = resolve(root);
  return full === base || full.startsWith(base + sep) ? full : null;
}

/** Vite's build output names, relative to the served folder: `assets/<name>-<8-character hash>.<ext>`. */
const HASHED_ASSET = /^assets[\\/][^\\/]+-[\w-]{8}\.[a-z0-9]+$/i;

/**
 * index.html is never cached (it names the current build's assets). Content-hashed assets never
 * change under their name, so browsers may keep them for a year without revalidating, even on reload;
 * anything else gets an hour.
 */
function cacheControl(root: string, file: string): string {
  if (file.endsWith('index.html')) return 'no-store';
  const hashed = HASHED_ASSET.test(relative(resolve(root), file));
  return hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=3600';
}

export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  securityHeaders(res);
  let file = safeJoin(root, urlPath === '/' ? '/index.html' : urlPath);
  if (!file) {
    res.writeHead(400).end('Bad path');
    return;
  }
  let info = await stat(file).catch(() => null);
  if (!info?.isFile() && !extname(urlPath)) {
    file = join(root, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) {
    res
      .writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
      .end(urlPath === '/' ? 'The UI is not built yet: run `npm run build` first.' : 'Not found');
    return;
  }
  const body = await readFile(file);
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': cacheControl(root, file),
  });
  res.end(body);
}
