/**
 * The second baseline: the smallest WebSocket relay one would write with `ws` (bufferutil does
 * the unmasking), without tickets, sessions, limits or resume. Connections pair in arrival order;
 * each gets `waiting`/`paired` text like the real relay so the same bench clients drive both.
 */
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { WebSocketServer, type WebSocket } from 'ws';

/** Serves the minimal relay on every upgrade of `server`. */
export function attachMinimalRelay(server: HttpServer | HttpsServer): void {
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  let waiting: WebSocket | null = null;
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    if (!waiting) {
      waiting = ws;
      ws.send('{"type":"waiting"}');
      return;
    }
    const other = waiting;
    waiting = null;
    for (const [from, to] of [[ws, other], [other, ws]] as const) {
      from.on('message', (data, isBinary) => isBinary && to.send(data, { binary: true }));
      from.on('close', () => to.terminate());
      from.send('{"type":"paired","resumed":false}');
    }
  });
}
