import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client.js';
import { t } from '../../i18n/index.js';
import { CustomerBroker } from '../../customer/api.js';
import { pageCapabilities, type PageModules } from '../../customer/capabilities.js';
import { CustomerSession } from '../../customer/session.js';
import type { Joined } from '../channels/api.js';
import { CustomerSessionView } from './session-view.js';

/** Why the join failed, in the customer's words. */
function joinError(error: unknown): string {
  if (error instanceof ApiError && error.status === 400) return t('customer.error.joinCode');
  if (error instanceof ApiError && error.code === 'policy_denied') return t('pin.error.policy', { reason: error.message });
  if (error instanceof ApiError && error.status === 429) return t('pin.error.rateLimitedLater');
  return t('pin.error.network');
}

/**
 * "Get help in this browser": exchanges the join code for the session (as the agent does),
 * starts the page's end-to-end client, and ends the session when the tab closes.
 */
export function BrowserSupport({ joined }: { joined: Joined }) {
  const [session, setSession] = useState<CustomerSession<PageModules> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live: CustomerSession<PageModules> | null = null;
    let cancelled = false;
    const broker = new CustomerBroker();
    broker.join(joined.joinCode).then((bootstrap) => {
      if (cancelled) return;
      live = new CustomerSession(bootstrap, joined.pin, broker, pageCapabilities);
      live.start();
      setSession(live);
    }, (e: unknown) => setError(joinError(e)));
    // Closing (or leaving) the page ends the session: nobody can be left connected unseen.
    const leave = () => live?.leave();
    addEventListener('pagehide', leave);
    return () => {
      cancelled = true;
      removeEventListener('pagehide', leave);
      leave();
    };
  }, [joined.joinCode]);

  if (error) return <section class="pin-card" role="alert" data-testid="customer-join-error"><p class="error">{error}</p></section>;
  if (!session) return <section class="pin-card" role="status" data-testid="customer-joining"><p>{t('customer.phase.joining')}</p></section>;
  return <CustomerSessionView session={session} />;
}
