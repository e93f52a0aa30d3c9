import type { MiddlewareHandler } from 'hono';
import { deviceRequestText, parseDeviceAuthorization } from '../../../protocol/device-auth.js';
import { sha256Hex, verifyDeviceSignature } from '../../devices/device-keys.js';
import { advanceRequestClock, findDevice } from '../../devices/devices.js';
import { activeDevice } from '../../devices/service.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';

/** How far a device's request time may be from the broker's. */
const MAX_SKEW_MS = 5 * 60_000;

/**
 * Resolves `Authorization: Device <id>.<time>.<signature>`: an Ed25519 signature by the
 * device's enrolled key over method, path, time and body hash. Each request must carry a later
 * time than the last (no replay). A correctly signed request of a revoked or expired device is
 * refused with that reason (so the device can remove itself) and audited.
 */
export function resolveDevice(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('device', null);
    const auth = parseDeviceAuthorization(c.req.header('authorization'));
    if (auth) {
      const services = c.get('services');
      const row = await findDevice(services.db, auth.deviceId);
      const body = c.req.method === 'GET' ? '' : await c.req.text();
      const text = deviceRequestText(c.req.method, c.req.path, auth.timestamp, sha256Hex(body));
      const now = services.clock.now();
      if (row && Math.abs(auth.timestamp - now) <= MAX_SKEW_MS && verifyDeviceSignature(row.public_key, text, auth.signature)) {
        const active = await activeDevice(services, row.id);
        if (!active) {
          const status = (await findDevice(services.db, row.id))?.status ?? 'revoked';
          await services.audit.record({ action: 'device.auth', outcome: 'denied', ip: c.get('clientIp'), targetType: 'device', targetId: row.id, details: { reason: `device_${status}`, path: c.req.path } });
          throw new ApiError('unauthenticated', `This device's unattended access is ${status}.`, { device: status });
        }
        if (await advanceRequestClock(services.db, row.id, auth.timestamp)) c.set('device', active);
      }
    }
    await next();
  };
}
