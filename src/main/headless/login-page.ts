// The page a browser gets instead of a raw JSON 401: it explains that the server printed a link with
// ?token= when it started and how to open it. Self-contained: one inline style allowed by its hash, no script.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export type LoginReason = 'missing' | 'wrong-token' | 'rate-limited';

const STYLE = `
:root { color-scheme: light dark; --bg: #f6f8fa; --fg: #1f2328; --muted: #4b535d; --card: #ffffff;
  --line: #d0d7de; --accent: #0a58ca; --code: #eef1f4; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #b1bac4; --card: #161b22;
  --line: #30363d; --accent: #6cb6ff; --code: #21262d; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 24px; background: var(--bg);
  color: var(--fg); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 620px; width: 100%; background: var(--card); border: 1px solid var(--line);
  border-radius: 12px; padding: 28px 32px; }
h1 { font-size: 1.35rem; margin: 0 0 12px; }
p, li { color: var(--muted); }
strong { color: var(--fg); }
ol { padding-left: 1.3em; }
code, pre { font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--code);
  border-radius: 6px; }
code { padding: 1px 5px; }
pre { padding: 10px 12px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; color: var(--fg); }
.note { border-left: 4px solid var(--accent); padding: 4px 0 4px 12px; color: var(--fg); }
`;

const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

/** Nothing may load from anywhere: not even our own scripts run on this page. */
export const LOGIN_PAGE_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const REASONS: Record<LoginReason, string> = {
  missing: 'This browser has not signed in to this HashDeck server yet, or its sign-in has ended.',
  'wrong-token':
    'The token in that link is not the one this server uses. The server may have restarted since the link was printed: each start prints a new one (unless HASHDECK_TOKEN is set).',
  'rate-limited': 'Too many wrong tokens came from your address.',
};

export interface LoginPageOptions {
  reason: LoginReason;
  /** The address the browser used (scheme and an allowed Host), shown in the example line. */
  origin: string;
  retryAfterSeconds?: number;
  /** The session limits in force, so the page states them truthfully. */
  idleMs: number;
  maxAgeMs: number;
}

/** "1 day", "12 hours", "30 minutes", "45 seconds": the largest unit that divides the span exactly. */
export function formatSpan(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${Math.max(1, Math.round(ms / 1000))} seconds`;
}

export function loginPageHtml({
  reason,
  origin,
  retryAfterSeconds,
  idleMs,
  maxAgeMs,
}: LoginPageOptions): string {
  const wait =
    reason === 'rate-limited' && retryAfterSeconds !== undefined
      ? ` Wait ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'} before opening the link again.`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>HashDeck: open the link from the server</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Open HashDeck with its access link</h1>
<p class="note">${escapeHtml(REASONS[reason] + wait)}</p>
<p>When the HashDeck server started, it printed a link that carries its access token in
<code>?token=</code>. Look for this line in the terminal where <code>npm run headless</code> runs
(or in its service log, for example <code>journalctl --user -u hashdeck</code>):</p>
<pre>Open: ${escapeHtml(origin)}/?token=…</pre>
<ol>
<li>Copy that whole link, <strong>including</strong> the part after <code>?token=</code>.</li>
<li>Open it in this browser. HashDeck signs this browser in and removes the token from the address bar.</li>
</ol>
<p>A sign-in ends after ${formatSpan(idleMs)} without use, ${formatSpan(maxAgeMs)} after it began, when you
log out, and when the server stops; open the link again then. Scripts send the token as <code>Authorization: Bearer &lt;token&gt;</code> instead.</p>
</main>
</body>
</html>
`;
}

export function sendLoginPage(res: ServerResponse, status: 401 | 429, options: LoginPageOptions): void {
  const body = loginPageHtml(options);
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': LOGIN_PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    ...(options.retryAfterSeconds !== undefined ? { 'Retry-After': String(options.retryAfterSeconds) } : {}),
  });
  res.end(body);
}
