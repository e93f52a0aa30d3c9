import { z } from 'zod';
import type { PluginHost } from '../../core/policy/host.js';
import { definePlugin, type PolicyPlugin } from '../../core/policy/plugin.js';
import type { HookContexts, Verdict } from '../../core/policy/types.js';
import { pluginSecret } from '../company-pin/secrets.js';
import { checkForm, normaliseOrigin } from './form-token.js';
import { DV_ID, domainValidationRoutes } from './routes.js';

const settings = z.object({
  /** Origins (scheme://host[:port]) where the company hosts its PIN or support form. */
  domains: z.array(z.string().max(300).refine((d) => normaliseOrigin(d) === d, 'use an origin like https://www.example.com (no path, no trailing slash)')).max(50).default([]),
}).strict();

export type DomainValidationSettings = z.output<typeof settings>;

/**
 * The pinRedeem decision: a PIN from a hosted form (channel web-form), or anything that came
 * with a form token, needs an approved origin and a valid token for it.
 */
export function decideForm(context: HookContexts['pinRedeem'], s: DomainValidationSettings, key: string): Verdict {
  const fromForm = context.channel === 'web-form' || context.formToken !== null;
  if (!fromForm) return { outcome: 'continue', reason: 'Not a hosted form: nothing to check.' };
  const kind = context.channel === 'web-form' ? 'pin' : 'channel';
  const checked = checkForm(key, s.domains, context.origin, context.formToken, kind);
  if (!checked.ok) return { outcome: 'deny', code: checked.code, reason: `The form is not accepted from ${context.origin ?? 'an unknown origin'} (${checked.code}).` };
  return { outcome: 'continue', reason: `The form from ${context.origin} is approved and its token valid.`, facts: { origin: context.origin } };
}

/**
 * domain-validation: the company may host its PIN (or support) form on its own website; the
 * appliance accepts it only from approved origins with a signed form token.
 */
export default function domainValidation(host: PluginHost): PolicyPlugin<DomainValidationSettings> {
  const formKey = () => pluginSecret(host, DV_ID, 'form-key', host.clock.now());
  return definePlugin<DomainValidationSettings>({
    id: DV_ID,
    name: 'Domain validation',
    description: 'PIN and support forms hosted on the company\'s website are accepted only from approved origins and with a signed form token.',
    settings: settings as unknown as z.ZodType<DomainValidationSettings>,
    hooks: {
      pinRedeem: async (context, s) => decideForm(context, s, await formKey()),
    },
    routes: domainValidationRoutes(host, formKey),
  });
}
