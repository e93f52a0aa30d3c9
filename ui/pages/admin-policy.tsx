import { Page } from '../components/page.js';
import { PolicyTest } from '../components/policy-test.js';
import { t } from '../i18n/index.js';

/**
 * "Test a policy" on its own page, for account and network admins alike: the explain API is
 * open to both, while the plugin settings page is for account admins only.
 */
export function PolicyPage() {
  return (
    <Page title={t('policyPage.title')}>
      <p class="hint">{t('policyPage.intro')}</p>
      <PolicyTest heading={false} />
    </Page>
  );
}
