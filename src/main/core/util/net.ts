// Loopback helpers for miner APIs: a free port chosen by the OS and a fresh random access token.
import { createServer, type AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      // A listening TCP server always has an AddressInfo, and port 0 made the OS pick a real one.
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function randomToken(): string {
  return randomBytes(24).toString('base64url');
}
