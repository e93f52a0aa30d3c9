import { useEffect, useState } from 'preact/hooks';
import { request } from '../../api/client.js';
import { hasText, t } from '../../i18n/index.js';

/** A sign-in provider's button as the oidc plugin lists it. */
interface SsoProvider {
  id: string;
  label: string;
  color: string | null;
}

/**
 * One button per single sign-on provider (oidc plugin). Each is a plain link to the start
 * route, which redirects to the provider; nothing shows while the plugin is off (404).
 */
export function SsoButtons() {
  const [providers, setProviders] = useState<SsoProvider[]>([]);
  useEffect(() => {
    request<SsoProvider[]>('GET', '/api/v1/plugins/oidc/providers', undefined, { quiet401: true }).then(setProviders, () => setProviders([]));
  }, []);
  if (providers.length === 0) return null;
  return (
    <div class="sso-buttons" data-testid="sso-buttons">
      <p class="hint">{t('sso.or')}</p>
      {providers.map((p) => (
        <a key={p.id} class="button sso-button" data-testid={`sso-${p.id}`} href={`/api/v1/plugins/oidc/login/${encodeURIComponent(p.id)}`}
          style={p.color ? { background: p.color, borderColor: p.color, color: '#fff' } : undefined}>
          {t('sso.signInWith', { label: p.label })}
        </a>
      ))}
    </div>
  );
}

/** The sentence for a single sign-on refusal that the callback sent back as `?sso_error=…&code=…`. */
export function ssoErrorText(params: URLSearchParams): string | null {
  const code = params.get('sso_error');
  if (!code) return null;
  if (code === 'policy') {
    const policy = params.get('code') ?? '';
    return t('error.policy_denied', { reason: hasText(`policy.${policy}`) ? t(`policy.${policy}`) : policy });
  }
  return hasText(`sso.error.${code}`) ? t(`sso.error.${code}`) : t('sso.error.sso_failed');
}
