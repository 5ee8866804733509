// Caps the open connections of the headless server. At the cap a new connection evicts the oldest one
// that is not serving a request (idle or half-open), so idle sockets cannot lock real users out.
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

interface Tracked {
  /** Requests being answered on this connection (an event stream counts until it ends). */
  active: number;
}

/** The TCP socket under a request's socket: the same object over HTTP, the TLS socket's parent over HTTPS. */
function tcpSocketOf(socket: Socket): Socket {
  return (socket as Socket & { _parent?: Socket | null })._parent ?? socket;
}

const BUSY_RESPONSE =
  'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\n' +
  'Content-Type: text/plain; charset=utf-8\r\nContent-Length: 52\r\n\r\n' +
  'Too many connections are busy; try again in a moment';

export class ConnectionGuard {
  private readonly tracked = new Map<Socket, Tracked>();
  private readonly turnedAway = new WeakSet<Socket>();
  /** Connections closed to make room, and connections refused because every one was busy. */
  evicted = 0;
  refused = 0;

  constructor(
    server: HttpServer,
    private readonly max: number,
    private readonly tls: boolean,
  ) {
    // Node's own cap is a backstop well above ours: it drops sockets without a word, ours evicts idle ones.
    server.maxConnections = max * 2;
    server.on('connection', (socket: Socket) => this.onConnection(socket));
  }

  /**
   * Called first for every request: counts it as activity on its connection until the response closes.
   * False for a request that arrived on a connection already turned away (it must not run).
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean {
    const tcp = tcpSocketOf(req.socket);
    if (this.turnedAway.has(tcp)) {
      res.destroy();
      return false;
    }
    const entry = this.tracked.get(tcp);
    if (entry) {
      entry.active += 1;
      res.once('close', () => (entry.active -= 1));
    }
    return true;
  }

  get open(): number {
    return this.tracked.size;
  }

  private onConnection(socket: Socket): void {
    this.tracked.set(socket, { active: 0 });
    socket.once('close', () => this.tracked.delete(socket));
    if (this.tracked.size <= this.max) return;
    // Map order is connection order, so the first idle entry is the oldest idle connection.
    for (const [other, entry] of this.tracked) {
      if (other === socket || entry.active > 0) continue;
      this.tracked.delete(other);
      other.destroy();
      this.evicted += 1;
      return;
    }
    this.refused += 1;
    this.tracked.delete(socket);
    this.turnedAway.add(socket);
    // Before TLS is set up there is no way to answer in a form the client can read.
    if (this.tls) socket.destroy();
    else socket.end(BUSY_RESPONSE);
  }
}
