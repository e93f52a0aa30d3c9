import { request } from '../../api/client.js';

/** One's two-factor state as the TOTP plugin reports it. */
export interface MfaStatus {
  enrolled: boolean;
  pending: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

/** A pending enrolment: QR code (PNG data URL), the otpauth URI, and the key for typing in by hand. */
export interface MfaOffer {
  secret: string;
  otpauthUri: string;
  qr: string;
}

const base = '/api/v1/plugins/totp';

/** The TOTP plugin's own API (answers 404 while the plugin is switched off). */
export const mfaApi = {
  status: () => request<MfaStatus>('GET', `${base}/status`),
  start: () => request<MfaOffer>('POST', `${base}/enrolment`),
  confirm: (code: string) => request<{ recoveryCodes: string[] }>('POST', `${base}/enrolment/confirm`, { code }),
  renewRecoveryCodes: (code: string) => request<{ recoveryCodes: string[] }>('POST', `${base}/recovery-codes`, { code }),
  disable: (proof: { code: string } | { password: string }) => request<void>('POST', `${base}/disable`, proof),
  /** Admins: remove another account's authenticator (a lost phone). */
  adminReset: (userId: string) => request<void>('DELETE', `${base}/users/${encodeURIComponent(userId)}`),
};
