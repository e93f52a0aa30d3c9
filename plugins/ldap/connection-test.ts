import { DirectoryError, openDirectory, type Directory } from './directory.js';
import { directoryOptions, serviceAccount, type LdapSettings } from './settings.js';

/** The answer of "test the connection": a verdict, a sentence for the admin, and the steps that passed. */
export interface ConnectionTestResult {
  ok: boolean;
  message: string;
  steps: string[];
}

/**
 * Tries the saved settings step by step: connect (with TLS as configured), bind the service
 * account, read the base DN. Stops at the first failure and says what to check.
 */
export async function testConnection(s: LdapSettings): Promise<ConnectionTestResult> {
  const steps: string[] = [];
  const tlsMode = s.url.toLowerCase().startsWith('ldaps://') ? 'LDAPS' : s.startTls ? 'StartTLS' : 'no TLS';
  let dir: Directory;
  try {
    dir = await openDirectory(directoryOptions(s));
    steps.push(`connected to ${s.url} (${tlsMode}${tlsMode !== 'no TLS' && !s.verifyCertificate ? ', certificate NOT verified' : ''})`);
  } catch (error) {
    return { ok: false, message: explain(error, s, 'connect'), steps };
  }
  let step: 'bind' | 'base' = 'bind';
  try {
    const service = serviceAccount(s);
    if (service) {
      await dir.bind(service.dn, service.password);
      steps.push(`bound as ${service.dn}`);
    }
    step = 'base';
    await dir.search({ base: s.baseDn, scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] });
    steps.push(`read base DN ${s.baseDn}`);
    return { ok: true, message: `The directory at ${s.url} answers${service ? ' and accepts the service account' : ''}.`, steps };
  } catch (error) {
    return { ok: false, message: explain(error, s, step), steps };
  } finally {
    await dir.close();
  }
}

function explain(error: unknown, s: LdapSettings, step: 'connect' | 'bind' | 'base'): string {
  if (!(error instanceof DirectoryError)) return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  switch (error.kind) {
    case 'tls':
      return `TLS with ${s.url} failed (${error.detail ?? error.message}). Check that caPem or caFile holds the CA that signed the directory's certificate and that the URL's host name is in that certificate.`;
    case 'unreachable':
      return `Cannot reach ${s.url} (${error.detail ?? error.message}). Check host, port and firewall.`;
    case 'timeout':
      return `${s.url} did not answer within ${s.timeoutMs} ms.`;
    case 'invalid_credentials':
      return 'The directory refused the service account: serviceDn or its password is wrong.';
    case 'no_such_object':
      return `The base DN ${s.baseDn} does not exist in the directory.`;
    default:
      return `The directory answered the ${step === 'connect' ? 'connection' : step === 'bind' ? 'service bind' : 'base DN read'} with an error: ${error.detail ?? error.message}`;
  }
}
