// Loopback helpers for miner APIs: a free port chosen by the OS and a fresh random access token.
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export function randomToken(): string {
  return randomBytes(24).toString('base64url');
}
