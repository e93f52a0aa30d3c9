import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/open.js';
import type { Database } from '../db/schema.js';
import { applianceContext } from './appliance-secrets.js';
import { keyCheck } from './keyring.js';
import { resealSettings } from './sealed-settings.js';
import { isSealed, reseal, type Vault } from './vault.js';

type Trx = Transaction<Database> | Kysely<Database>;

/** The sealed-value context of a plugin's generated secret (plugin_secrets). */
export const pluginSecretContext = (pluginId: string, name: string): string => `plugin_secret:${pluginId}:${name}`;

/**
 * Every place in the database that holds sealed values. A new kind of stored secret (OIDC or
 * SAML client secrets, …) adds its table here, so key rotation re-seals it too.
 */
export const sealedStores: { name: string; reseal(trx: Trx, from: Vault, to: Vault): Promise<number> }[] = [
  {
    name: 'appliance secrets',
    async reseal(trx, from, to) {
      const rows = await trx.selectFrom('appliance_secrets').select(['name', 'sealed']).execute();
      for (const row of rows) {
        const context = row.name === keyCheck.name ? keyCheck.context : applianceContext(row.name);
        await trx.updateTable('appliance_secrets').set({ sealed: reseal(row.sealed, context, from, to) }).where('name', '=', row.name).execute();
      }
      return rows.length;
    },
  },
  {
    name: 'plugin secrets',
    async reseal(trx, from, to) {
      const rows = await trx.selectFrom('plugin_secrets').select(['plugin_id', 'name', 'value']).execute();
      for (const row of rows.filter((r) => isSealed(r.value))) {
        const value = reseal(row.value, pluginSecretContext(row.plugin_id, row.name), from, to);
        await trx.updateTable('plugin_secrets').set({ value }).where('plugin_id', '=', row.plugin_id).where('name', '=', row.name).execute();
      }
      return rows.length;
    },
  },
  {
    name: 'plugin settings',
    async reseal(trx, from, to) {
      let total = 0;
      for (const row of await trx.selectFrom('plugin_settings').select(['plugin_id', 'settings']).execute()) {
        const { settings, count } = resealSettings(from, to, row.plugin_id, JSON.parse(row.settings) as unknown);
        if (count > 0) await trx.updateTable('plugin_settings').set({ settings: JSON.stringify(settings) }).where('plugin_id', '=', row.plugin_id).execute();
        total += count;
      }
      return total;
    },
  },
];

/** Re-seals every stored secret from one master key to another, all in one transaction. */
export async function resealAll(db: DB, from: Vault, to: Vault): Promise<Record<string, number>> {
  return db.transaction().execute(async (trx) => {
    const counts: Record<string, number> = {};
    for (const store of sealedStores) counts[store.name] = await store.reseal(trx, from, to);
    return counts;
  });
}

/** Seals plugin secrets an older version stored in plain text (run at every start; a no-op once done). */
export async function sealLegacyPluginSecrets(db: DB, vault: Vault): Promise<number> {
  const rows = await db.selectFrom('plugin_secrets').select(['plugin_id', 'name', 'value']).execute();
  const plain = rows.filter((r) => !isSealed(r.value));
  for (const row of plain) {
    const value = vault.seal(row.value, pluginSecretContext(row.plugin_id, row.name));
    await db.updateTable('plugin_secrets').set({ value }).where('plugin_id', '=', row.plugin_id).where('name', '=', row.name).execute();
  }
  return plain.length;
}
