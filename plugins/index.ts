import companyPin from './company-pin/index.js';
import domainValidation from './domain-validation/index.js';
import loginHours from './login-hours/index.js';
import ldap from './ldap/index.js';
import totp from './totp/index.js';
import ipRestrictions from './ip-restrictions/index.js';
import oidc from './oidc/index.js';
import type { PluginSource } from '../core/policy/host.js';

/**
 * The plugins that ship with the appliance. An explicit list, never a folder scan: what can
 * run in the security pipeline is decided here and in the config, nowhere else.
 */
export const builtinPlugins: PluginSource[] = [
  loginHours,
  ldap,
  companyPin,
  domainValidation,
  totp,
  ipRestrictions,
  oidc,
];
