import type { ScreenInfo } from '../../../protocol/screen-messages.js';
import { call, type RawClient } from './x11-client.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const GET_MONITORS = 42;

interface RawMonitor {
  name: number;
  primary: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * RANDR 1.5 GetMonitors: the monitors as the desktop sees them (what `xrandr --listmonitors`
 * shows, including monitors split or joined with --setmonitor). The `x11` package has no
 * binding for it, so the request is written here; null when the server is older than 1.5.
 */
export async function randrMonitors(client: RawClient, randr: any, root: number): Promise<ScreenInfo[] | null> {
  const version = (await call<[number, number]>(randr, 'QueryVersion', 1, 5).catch(() => [1, 0])) as [number, number];
  if (version[0] < 1 || (version[0] === 1 && version[1] < 5)) return null;
  const monitors = await new Promise<RawMonitor[]>((resolve, reject) => {
    client.seq_num++;
    const request = Buffer.alloc(12);
    request.writeUInt8(randr.majorOpcode, 0);
    request.writeUInt8(GET_MONITORS, 1);
    request.writeUInt16LE(3, 2);
    request.writeUInt32LE(root >>> 0, 4);
    request.writeUInt8(1, 8); // active monitors only
    client.pack_stream.put(request);
    client.replies[client.seq_num] = [(reply: Buffer) => parseMonitors(reply), (error: Error | null, value: RawMonitor[]) => (error ? reject(error) : resolve(value))];
    client.pack_stream.submit(true);
  });
  if (monitors.length === 0) return null;
  const screens: ScreenInfo[] = [];
  for (const [i, monitor] of monitors.slice(0, 16).entries()) {
    const name = await call<string>(client, 'GetAtomName', monitor.name).catch(() => '');
    screens.push({ id: `monitor-${i}-${monitor.name}`, name: (name || `Screen ${i + 1}`).slice(0, 100), x: monitor.x, y: monitor.y, width: Math.max(1, monitor.width), height: Math.max(1, monitor.height), primary: monitor.primary });
  }
  if (!screens.some((s) => s.primary)) screens[0]!.primary = true;
  return screens;
}

/** The reply after its first 8 bytes: timestamp, nMonitors, nOutputs, 12 pad, MONITORINFOs. */
export function parseMonitors(reply: Buffer): RawMonitor[] {
  const count = reply.readUInt32LE(4);
  const monitors: RawMonitor[] = [];
  let offset = 24;
  for (let i = 0; i < count && offset + 24 <= reply.length; i += 1) {
    const outputs = reply.readUInt16LE(offset + 6);
    monitors.push({
      name: reply.readUInt32LE(offset), primary: reply.readUInt8(offset + 4) !== 0,
      x: reply.readInt16LE(offset + 8), y: reply.readInt16LE(offset + 10), width: reply.readUInt16LE(offset + 12), height: reply.readUInt16LE(offset + 14),
    });
    offset += 24 + outputs * 4;
  }
  return monitors;
}
