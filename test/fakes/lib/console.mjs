// @ts-check
// Console commands from stdin, one key at a time (raw TTY) or through a pipe ("p\n" or "p"),
// like XMRig's console reader. Newlines and other whitespace are ignored.

/**
 * @param {(key: string) => void} onKey
 */
export function readKeys(onKey) {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    try {
      stdin.setRawMode(true);
    } catch {
      /* not a real TTY */
    }
  }
  stdin.setEncoding('utf8');
  stdin.on('data', (chunk) => {
    for (const ch of String(chunk)) {
      if (ch === '\u0003')
        process.kill(process.pid, 'SIGINT'); // Ctrl+C in raw mode
      else if (!/\s/.test(ch)) onKey(ch);
    }
  });
  stdin.on('error', () => {});
  stdin.resume();
}
