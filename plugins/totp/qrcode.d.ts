// The qrcode package ships no types; only what this plugin uses is declared.
declare module 'qrcode' {
  /** Options of the QR renderers used here. */
  export interface QRCodeToDataURLOptions {
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
    margin?: number;
    width?: number;
    type?: 'image/png';
  }
  /** Renders text as a PNG data URL. */
  export function toDataURL(text: string, options?: QRCodeToDataURLOptions): Promise<string>;
  const qrcode: { toDataURL: typeof toDataURL };
  export default qrcode;
}
