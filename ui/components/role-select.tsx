import { roles, type Role } from '../api/client.js';
import { t } from '../i18n/index.js';

/** Whether an admin of role `actor` may change or delete an account of role `target` (mirrors the server). */
export const mayManage = (actor: Role, target: Role): boolean => actor === 'account_admin' || (actor === 'network_admin' && target !== 'account_admin');

/** The roles an admin may hand out: a network admin may not make account admins (the server refuses too). */
export const assignableRoles = (actor: Role): Role[] => roles.filter((role) => mayManage(actor, role));

/** A select of the roles the acting admin may assign. */
export function RoleSelect({ id, actor, value, onChange }: { id: string; actor: Role; value: Role; onChange: (role: Role) => void }) {
  const options = assignableRoles(actor);
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as Role)}>
      {/* An account the actor may not manage keeps showing its role. */}
      {!options.includes(value) && <option value={value} disabled>{t(`role.${value}`)}</option>}
      {options.map((role) => <option key={role} value={role}>{t(`role.${role}`)}</option>)}
    </select>
  );
}

