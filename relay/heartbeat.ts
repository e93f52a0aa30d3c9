import type { RelayLogger } from './options.js';
import type { Peer } from './peer.js';

/**
 * One heartbeat round: terminates joined sockets that showed no sign of life since the last
 * round, pings the others. Signs of life: a pong, any message, a backed-up send that drained,
 * or a send buffer that shrank since the last round (a slow link whose pong waits behind data).
 * Paused sockets are skipped: the relay stops reading them on purpose, so their pong sits
 * unread; if both sides of a session are paused and stuck, the idle timeout ends it.
 */
export function heartbeat(peers: Iterable<Peer>, logger: RelayLogger): void {
  for (const peer of peers) {
    if (peer.paused || peer.closing) continue;
    const buffered = peer.ws.bufferedAmount;
    const draining = buffered > 0 && buffered < peer.bufferedAtPing;
    if (!peer.alive && !draining) {
      logger.info({ sid: peer.session.sid, role: peer.role }, 'relay heartbeat missed');
      peer.ws.terminate();
      continue;
    }
    peer.alive = false;
    peer.bufferedAtPing = buffered;
    peer.ws.ping();
  }
}
