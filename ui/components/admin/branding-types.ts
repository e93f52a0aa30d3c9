/** Words of the PIN page in one language. */
export interface BrandingTexts {
  welcome: string;
  help: string;
}

/** The PIN page's branding as PUT /api/v1/branding takes it (GET adds `hasLogo`). */
export interface Branding {
  companyName: string;
  colors: { primary: string; background: string; text: string };
  texts: { de: BrandingTexts; en: BrandingTexts };
}

/** The colour fields, in the order the form shows them. */
export const colorKeys = ['primary', 'background', 'text'] as const;
