import { useEffect, useState, type MutableRef } from 'preact/hooks';
import { pinPageApi, type Branding } from './api.js';

/** The look the PIN page has before (or without) the appliance's branding. */
export const fallbackBranding: Branding = {
  companyName: '',
  colors: { primary: '#1f5fbf', background: '#f4f6fa', text: '#1b2430' },
  texts: { de: { welcome: '', help: '' }, en: { welcome: '', help: '' } },
  hasLogo: false,
};

const colour = /^#[0-9a-fA-F]{6}$/;

/**
 * Loads the branding and applies its colours to `root` as CSS custom properties through the
 * CSSOM (`style.setProperty`): the CSP forbids inline style attributes, not this.
 */
export function useBranding(root: MutableRef<HTMLElement | null>): { branding: Branding; loaded: boolean } {
  const [branding, setBranding] = useState<Branding>(fallbackBranding);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    pinPageApi.branding().then(setBranding, () => undefined).finally(() => setLoaded(true));
  }, []);

  useEffect(() => {
    const element = root.current;
    if (!element) return;
    const { primary, background, text } = branding.colors;
    if (colour.test(primary)) element.style.setProperty('--brand-primary', primary);
    if (colour.test(background)) element.style.setProperty('--brand-background', background);
    if (colour.test(text)) element.style.setProperty('--brand-text', text);
  }, [branding]);

  return { branding, loaded };
}
