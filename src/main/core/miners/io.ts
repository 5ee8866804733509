// The real AdapterIo: node:http for HTTP miners (http-client.ts) and a one-shot TCP exchange for Claymore JSON-RPC,
// both size-capped so a misbehaving miner can never make us buffer unbounded data.
import net from 'node:net';
import { MinerError } from '../../../shared/errors';
import type { AdapterIo } from './adapter';
import { httpRequest } from './http-client';

/**
 * Tracks whether the text seen so far is one complete JSON object (balanced braces outside strings).
 * Claymore-style miners may keep the socket open after replying, so we cannot wait for the close.
 */
export class JsonObjectScanner {
  private depth = 0;
  private started = false;
  private inString = false;
  private escaped = false;
  complete = false;

  push(text: string): boolean {
    for (const ch of text) {
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === '"') this.inString = true;
      else if (ch === '{') {
        this.depth += 1;
        this.started = true;
      } else if (ch === '}') {
        this.depth -= 1;
        if (this.started && this.depth <= 0) {
          // Whatever follows the object is not ours to read; `complete` never goes back to false.
          this.complete = true;
          break;
        }
      }
    }
    return this.complete;
  }
}

/** Sends one line and collects the reply until the peer closes or a complete JSON object arrived. */
export function tcpRequest(
  host: string,
  port: number,
  line: string,
  signal: AbortSignal,
  maxBytes: number,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const where = `${host}:${port}`;
    const timedOut = () => new MinerError('TIMEOUT', `Miner API at ${where} did not answer in time`);
    const closedSilently = () =>
      new MinerError('MINER_API', `Miner API at ${where} closed the connection without answering`);
    if (signal.aborted) {
      reject(timedOut());
      return;
    }
    const socket = net.connect({ host, port });
    const chunks: Buffer[] = [];
    const scanner = new JsonObjectScanner();
    let size = 0;
    const received = () => Buffer.concat(chunks, size).toString('utf8');

    // A promise settles once: the first outcome wins, and the later calls (the 'close' that follows
    // every end, error or destroy) only repeat the clean-up, which is idempotent. The abort listener
    // goes with the request: callers share one signal per poll tick.
    const finish = (outcome: MinerError | string) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (typeof outcome === 'string') resolve(outcome);
      else reject(outcome);
    };
    const onAbort = () => finish(timedOut());
    signal.addEventListener('abort', onAbort);

    socket.on('connect', () => socket.write(line));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        finish(
          new MinerError('MINER_API', `Miner API at ${where} sent more than ${maxBytes} bytes; giving up`),
        );
        return;
      }
      chunks.push(chunk);
      // Decoding per chunk can split a multi-byte character, but braces and quotes are ASCII, so the
      // scanner's view stays correct; the final text is decoded from the joined buffer.
      if (scanner.push(chunk.toString('latin1'))) finish(received());
    });
    socket.on('end', () => finish(size === 0 ? closedSilently() : received()));
    // A safety net: Node emits 'close' only after 'end', 'error' or our own destroy, each of which has
    // settled the promise already; should that ever change, the caller still gets an answer, not a hang.
    // Stryker disable next-line StringLiteral,ArrowFunction: equivalent, see the line above (no input reaches it first)
    socket.on('close', () => finish(closedSilently()));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const reason =
        err.code === 'ECONNREFUSED' ? 'is not listening (connection refused)' : `failed: ${err.message}`;
      finish(new MinerError('MINER_API', `Miner API at ${where} ${reason}`));
    });
  });
}

export const nodeIo: AdapterIo = {
  http: httpRequest,
  tcpRequest,
};
