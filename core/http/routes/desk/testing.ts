import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertGroup } from '../../../accounts/groups.js';
import { buildTestAppliance, loggedInAs, type TestAppliance, type TestClient } from '../../../testing/appliance.js';
import type { User } from '../../../accounts/users.js';
import { settleNotifications } from '../../../desk/notify.js';

/** A test appliance with a temp data dir (attachments), a service-desk group and its technician. */
export interface DeskTestbed {
  t: TestAppliance;
  dataDir: string;
  groupId: string;
  tech: { client: TestClient; user: User };
  close(): Promise<void>;
}

/** Builds the desk testbed; `env` adds settings (e.g. SMTP_HOST). */
export async function buildDeskTestbed(env: Record<string, string> = {}): Promise<DeskTestbed> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rb-desk-'));
  const t = await buildTestAppliance({ DATA_DIR: dataDir, LOGIN_RATE_LIMIT: '10000', SESSION_IDLE_MINUTES: '1440', SESSION_MAX_HOURS: '720', ...env });
  const group = await insertGroup(t.services.db, t.services.clock, { name: '1st level', permissions: ['service_desk', 'diagnostics'] });
  const tech = await loggedInAs(t, 'technician', { groups: [group.id] });
  return {
    t, dataDir, groupId: group.id, tech,
    close: async () => {
      await settleNotifications(t.services);
      await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Reads a JSON answer, asserting nothing: callers check the status themselves. */
export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
