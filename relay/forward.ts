import { WebSocket } from 'ws';
import type { Peer } from './peer.js';

const BINARY = { binary: true } as const;

/**
 * Forwards one binary frame as-is. When the destination would buffer more than `highWater`,
 * the source stops being read and the send carries a callback that resumes it once that frame
 * has reached the kernel (everything queued before it has too). So a slow reader holds at most
 * highWater plus the frames ws had already parsed when the pause hit, never more.
 * Returns false when the frame was dropped (no open destination: endpoints retransmit).
 */
export function forward(source: Peer, destination: Peer | null, data: Buffer, highWater: number): boolean {
  if (!destination || destination.closing || destination.ws.readyState !== WebSocket.OPEN) return false;
  const ws = destination.ws;
  destination.batchWrites();
  if (!source.paused && ws.bufferedAmount + data.length <= highWater) {
    ws.send(data, BINARY);
    return true;
  }
  const token = source.pause();
  ws.send(data, BINARY, () => {
    // Called on success and when the destination closed: either way the source may read again.
    destination.alive = true;
    source.resume(token);
  });
  return true;
}
