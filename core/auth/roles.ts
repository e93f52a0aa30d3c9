/**
 * Roles and technician permissions: the vocabulary of every authorization decision.
 * A role says what kind of account it is; group permissions say what a technician may do
 * in a support session.
 */
export const roles = ['account_admin', 'network_admin', 'technician', 'customer'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'remote_view',
  'remote_control',
  'file_transfer',
  'diagnostics',
  'unattended_access',
  'reports',
  'service_desk',
] as const;
export type Permission = (typeof permissions)[number];

/** Roles that administer the appliance. */
export const adminRoles: readonly Role[] = ['account_admin', 'network_admin'];

/** Roles that staff use (everyone but customers). */
export const staffRoles: readonly Role[] = ['account_admin', 'network_admin', 'technician'];

/**
 * Whether an admin of role `actor` may create, change or delete an account of role `target`.
 * Network admins run the technician side but cannot touch account admins or make new ones,
 * so the appliance's owners cannot be locked out by a delegated admin.
 */
export function mayManageRole(actor: Role, target: Role): boolean {
  if (actor === 'account_admin') return true;
  if (actor === 'network_admin') return target !== 'account_admin';
  return false;
}
