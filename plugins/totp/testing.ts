import { randomBytes } from 'node:crypto';
import { generateSync } from 'otplib';
import type { PluginHost } from '../../core/policy/host.js';
import type { TestAppliance } from '../../core/testing/appliance.js';
import { PERIOD_SECONDS } from './otp.js';
import type { TotpSettings } from './settings.js';

/** The code an authenticator app shows for a secret at an instant, `steps` time steps away. */
export const codeAt = (secret: string, atMs: number, steps = 0): string =>
  generateSync({ secret, epoch: Math.floor(atMs / 1000) + steps * PERIOD_SECONDS });

/** A plugin host over a test appliance's services, with its own key and fixed settings. */
export function testHost(t: TestAppliance, settings: () => TotpSettings | null): PluginHost {
  const key = randomBytes(32);
  const { config, db, clock, logger, audit, vault } = t.services;
  return { config, db, clock, logger, audit, vault, deriveKey: () => key, activeSettings: <S>() => settings() as S | null };
}
