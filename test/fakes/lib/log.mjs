// @ts-check
// Console/log-file writer in XMRig's format: "[YYYY-MM-DD HH:MM:SS.mmm]  tag      message",
// optional ANSI colours (an approximation of colored_stdout_sample.ansi.log), flush-then-exit.

import fs from 'node:fs';

export const ANSI = {
  reset: '\x1b[0m',
  white: '\x1b[1;37m',
  gray: '\x1b[1;30m',
  cyan: '\x1b[1;36m',
  cyanDim: '\x1b[0;36m',
  green: '\x1b[1;32m',
  red: '\x1b[1;31m',
  yellow: '\x1b[1;33m',
  yellowDim: '\x1b[0;33m',
  magenta: '\x1b[1;35m',
  magentaBg: '\x1b[45;1m',
};

/** Background colour of each " tag     " block, as in XMRig's Tags. */
const TAG_BG = /** @type {Record<string, string>} */ ({
  bench: '\x1b[1;37m\x1b[42;1m',
  cpu: '\x1b[46;1m',
  randomx: '\x1b[44m',
  miner: '\x1b[45;1m',
  signal: '\x1b[0;33m\x1b[43;1m',
  net: '\x1b[44;1m',
  config: '\x1b[45m',
});

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b\[[0-9;]*m/g;

/** @param {string} s */
export const stripAnsi = (s) => s.replace(ANSI_RE, '');

/** @param {number} n @param {number} [w] */
const pad = (n, w = 2) => String(n).padStart(w, '0');

/**
 * "2026-11-26 14:00:03.551" (local time, like XMRig).
 * @param {Date} [d]
 */
export function timestamp(d = new Date()) {
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** True when fd 1 is a regular file: real XMRig then writes nothing to stdout. */
export function stdoutIsRegularFile() {
  try {
    return fs.fstatSync(1).isFile();
  } catch {
    return false;
  }
}

export class Logger {
  /**
   * @param {{ colors?: boolean, stdout?: boolean, logFile?: string | null, muted?: boolean }} [opts]
   */
  constructor(opts = {}) {
    this.colors = opts.colors ?? false;
    this.stdout = opts.stdout ?? true;
    this.logFile = opts.logFile ?? null;
    this.muted = opts.muted ?? false;
  }

  /** A logger that writes nothing (extra instances of the many-ports mode). */
  silent() {
    return new Logger({ colors: this.colors, stdout: false, logFile: null, muted: true });
  }

  /**
   * Colour a fragment when colours are on.
   * @param {string} code one of ANSI.*
   * @param {string | number} text
   */
  paint(code, text) {
    return this.colors ? `${code}${text}${ANSI.reset}` : String(text);
  }

  /** @param {string} text one or more lines, without the final newline */
  print(text) {
    if (this.muted) return;
    const out = `${this.colors ? text : stripAnsi(text)}\n`;
    if (this.stdout) {
      try {
        process.stdout.write(out);
      } catch {
        /* reader went away */
      }
    }
    if (this.logFile) {
      try {
        fs.appendFileSync(this.logFile, stripAnsi(out));
      } catch {
        /* ignore */
      }
    }
  }

  stamp() {
    const ts = timestamp();
    if (!this.colors) return `[${ts}]`;
    return `[${ts.slice(0, 19)}${ANSI.gray}${ts.slice(19)}${ANSI.reset}]`;
  }

  /**
   * "[ts]  tag      message"
   * @param {string} tag e.g. "cpu", "miner", "net"
   * @param {string} msg
   */
  tag(tag, msg) {
    const label = ` ${tag.padEnd(8)}`;
    const block = this.colors ? `${TAG_BG[tag] ?? '\x1b[47;1m'}${ANSI.white}${label}${ANSI.reset}` : label;
    this.print(`${this.stamp()} ${block} ${msg}`);
  }

  /**
   * "[ts] message" (untagged lines such as "no results yet" or the HTTP access log).
   * @param {string} msg
   */
  line(msg) {
    this.print(`${this.stamp()} ${msg}`);
  }
}

/**
 * Exit once stdout has drained (pipes can be asynchronous), with a hard deadline.
 * @param {number} code
 */
export function flushAndExit(code) {
  const done = () => process.exit(code);
  setTimeout(done, 1000).unref();
  try {
    process.stdout.write('', done);
  } catch {
    done();
  }
}

/** Never crash on EPIPE when the reader of stdout/stdin goes away. */
export function ignoreStdioErrors() {
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  process.stdin.on('error', () => {});
}
