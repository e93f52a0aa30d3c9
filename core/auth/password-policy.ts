import { commonPasswords } from './common-passwords.js';

/** Why a password was refused, as a stable code plus an English sentence. */
export interface PasswordProblem {
  code: 'too_short' | 'too_long' | 'needs_letter_and_digit' | 'too_common' | 'contains_email';
  message: string;
}

export const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 256;

/**
 * The password policy, checked on creation, change and reset: at least 8 characters with
 * letters and digits, not one of the most common passwords, not built on the e-mail address.
 */
export function checkPassword(password: string, email?: string): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return { code: 'too_short', message: `Password must have at least ${MIN_PASSWORD_LENGTH} characters.` };
  if (password.length > MAX_PASSWORD_LENGTH) return { code: 'too_long', message: `Password must have at most ${MAX_PASSWORD_LENGTH} characters.` };
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) {
    return { code: 'needs_letter_and_digit', message: 'Password must contain letters and digits.' };
  }
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower) || commonPasswords.has(lower.replace(/[^\p{L}\p{Nd}]/gu, ''))) {
    return { code: 'too_common', message: 'This password is too common; choose another.' };
  }
  const localPart = email?.split('@')[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lower.includes(localPart)) {
    return { code: 'contains_email', message: 'Password must not contain the e-mail address.' };
  }
  return null;
}
