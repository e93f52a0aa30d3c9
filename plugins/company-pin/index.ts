import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PluginHost } from '../../core/policy/host.js';
import { definePlugin, type PolicyPlugin } from '../../core/policy/plugin.js';
import type { HookContexts, Verdict } from '../../core/policy/types.js';
import { PLUGIN_ID } from './links.js';
import { companyPinRoutes } from './routes.js';
import { pluginSecret } from './secrets.js';

const lockable = ['pin-page', 'web-form', 'agent'] as const;

const settings = z.object({
  /** Refuse PINs that come without this company's id (PIN page, hosted form and agent must present it). */
  requireCompanyId: z.boolean().default(false),
  /** The lock of PINs issued without one (null: such PINs work on every channel). */
  defaultPinChannel: z.enum(lockable).nullable().default(null),
}).strict();

export type CompanyPinSettings = z.output<typeof settings>;

/**
 * Whether a PIN locked to `lock` may be redeemed on `channel`. The company's own PIN page is
 * the appliance's page and the form it hosts on its approved website (domain-validation).
 */
export function channelAllows(lock: string, channel: string | null): boolean {
  if (lock === 'pin-page') return channel === 'pin-page' || channel === 'web-form';
  return channel === lock;
}

/** The pinRedeem decision: this company's PIN, on the channel it is locked to. */
export function decideRedeem(context: HookContexts['pinRedeem'], s: CompanyPinSettings, ownCompanyId: string): Verdict {
  const facts = { companyId: ownCompanyId };
  if (context.companyId && context.companyId !== ownCompanyId) {
    return { outcome: 'deny', code: 'foreign_company_pin', reason: 'This PIN page belongs to another company: enter the PIN on your support company\'s page.', facts };
  }
  // A channel link is signed by this appliance, and a hosted form's token too (checked by the
  // domain-validation plugin, without which that channel does not exist): each proves the company.
  const signedByUs = (context.channel?.startsWith('link:') ?? false) || context.channel === 'web-form';
  if (!context.companyId && s.requireCompanyId && !signedByUs) {
    return { outcome: 'deny', code: 'company_id_missing', reason: 'The PIN came without this company\'s id: use the company\'s PIN page or agent.', facts };
  }
  const lock = context.pinChannel ?? s.defaultPinChannel;
  if (lock && !channelAllows(lock, context.channel)) {
    return { outcome: 'deny', code: 'wrong_channel', reason: `This PIN is valid only on the channel it was issued for (${lock}), not via ${context.channel ?? 'an unknown channel'}.`, facts: { ...facts, lock } };
  }
  // A page always names its origin when it posts (and CSRF refuses foreign ones): a PIN-page PIN
  // sent with none came from a script, not from the page.
  if ((lock === 'pin-page' || lock === 'web-form') && !context.origin) {
    return { outcome: 'deny', code: 'wrong_channel', reason: `This PIN is valid only when typed into the ${lock === 'web-form' ? 'company\'s website form' : 'PIN page'}.`, facts: { ...facts, lock } };
  }
  return { outcome: 'continue', reason: lock ? `This company's PIN, on a channel its lock (${lock}) allows.` : 'This company\'s PIN, not locked to a channel.', facts: lock ? { ...facts, lock } : facts };
}

/**
 * company-pin: PINs belong to this company (its id, generated once, is presented by the PIN
 * page) and to the channel they were locked to; channel links start support without a PIN
 * into a technician group's queue.
 */
export default function companyPin(host: PluginHost): PolicyPlugin<CompanyPinSettings> {
  let cached: string | null = null;
  const companyId = async () => (cached ??= await pluginSecret(host, PLUGIN_ID, 'company-id', host.clock.now(), () => `co_${randomBytes(12).toString('base64url')}`));
  return definePlugin<CompanyPinSettings>({
    id: PLUGIN_ID,
    name: 'Company PIN and channels',
    description: 'Accepts only PINs of this company, on the channel they were locked to (PIN page, hosted form, agent); channel links start support without a PIN into a technician group\'s queue.',
    settings: settings as unknown as z.ZodType<CompanyPinSettings>,
    hooks: {
      pinRedeem: async (context, s) => decideRedeem(context, s, await companyId()),
    },
    routes: companyPinRoutes(companyId),
  });
}
