import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as accounts from './migrations/2026-11-23T1000-accounts.js';
import * as supportSessions from './migrations/2026-11-23T1100-support-sessions.js';
import * as channels from './migrations/2026-11-23T1200-channels.js';
import * as totp from '../../plugins/totp/migrations/2026-11-23T1300-totp.js';
import * as desk from './migrations/2026-11-23T1600-desk.js';
import * as deskOrganisations from './migrations/2026-11-23T1601-desk-organisations.js';
import * as deskSlaPause from './migrations/2026-11-23T1602-desk-sla-pause.js';
import * as ldap from '../../plugins/ldap/migrations/2026-11-23T1700-ldap.js';
import * as auditForward from './migrations/2026-12-06T0400-audit-forward.js';
import * as unattendedDevices from './migrations/2026-12-07T1200-unattended-devices.js';
import * as applianceSecrets from './migrations/2026-12-07T1300-appliance-secrets.js';
import * as oidc from '../../plugins/oidc/migrations/2026-12-07T1400-oidc.js';
import type { Database } from './schema.js';

/**
 * Migrations in the order they run. Listed explicitly (not read from a folder) so the compiled
 * build and the Docker image carry exactly these files and a stray file can never run.
 */
const migrations: Record<string, Migration> = {
  '2026-11-23T1000-accounts': accounts,
  '2026-11-23T1100-support-sessions': supportSessions,
  '2026-11-23T1200-channels': channels,
  '2026-11-23T1300-totp': totp,
  '2026-11-23T1600-desk': desk,
  '2026-11-23T1601-desk-organisations': deskOrganisations,
  '2026-11-23T1602-desk-sla-pause': deskSlaPause,
  '2026-11-23T1700-ldap': ldap,
  '2026-12-06T0400-audit-forward': auditForward,
  '2026-12-07T1200-unattended-devices': unattendedDevices,
  '2026-12-07T1300-appliance-secrets': applianceSecrets,
  '2026-12-07T1400-oidc': oidc,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; throws with the failing migration's name if one fails. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`, { cause: error });
  }
}
