import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n/index.js';
import type { Joined } from '../channels/api.js';
import { BrowserSupport } from '../customer/browser-support.js';
import { DownloadChoice, DownloadOption } from './download-choice.js';

/**
 * After a valid PIN (or a started channel, or a hosted form's join): the two ways to get help.
 * "In this browser" is the default (first, primary, focused): nothing to install. The join
 * code is single use, so the way chosen takes it.
 */
export function HelpChoice({ joined }: { joined: Joined }) {
  const [way, setWay] = useState<'choose' | 'browser' | 'download'>('choose');
  const primary = useRef<HTMLButtonElement>(null);
  useEffect(() => primary.current?.focus(), []);

  if (way === 'browser') return <BrowserSupport joined={joined} />;
  if (way === 'download') return <DownloadChoice joined={joined} onBrowser={() => setWay('browser')} />;
  return (
    <section class="pin-card pin-choice" aria-labelledby="help-choice-title" data-testid="help-choice">
      <h2 id="help-choice-title">{t('customer.choice.title')}</h2>
      <div class="pin-way">
        <button type="button" ref={primary} data-testid="help-in-browser" onClick={() => setWay('browser')}>{t('customer.choice.browser')}</button>
        <p class="hint">{t('customer.choice.browserHint')}</p>
      </div>
      <DownloadOption onChoose={() => setWay('download')} />
    </section>
  );
}
