import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { findTrailer, TrailerError, type EmbeddedDefaults } from '../../protocol/signed-download.js';

/** The program file does not carry a valid signature of its appliance. */
export class SelfCheckFailed extends Error {
  override name = 'SelfCheckFailed';
}

/**
 * Checks the single-file program's own bytes against the Ed25519 signature its appliance
 * appended when it was downloaded, and returns the defaults it carries. A changed byte anywhere
 * (the program, the embedded address or certificate pin) makes this throw, so the program refuses
 * to run. The key comes from the file itself: this catches damage and tampering by anyone without
 * the appliance's key; the customer checks the key itself against the published signature.
 */
export function checkOwnSignature(file: string): EmbeddedDefaults {
  let found;
  try {
    found = findTrailer(readFileSync(file));
  } catch (error) {
    if (error instanceof TrailerError) throw new SelfCheckFailed(error.message);
    throw error;
  }
  let ok = false;
  try {
    ok = verify(null, found.signed, createPublicKey(found.defaults.publicKeyPem), found.signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new SelfCheckFailed('This program has been changed since it was downloaded (its signature does not match). It will not run. Please download it again from your support page.');
  return found.defaults;
}
