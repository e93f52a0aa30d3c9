import { auditCheckpoint, auditCheckpointsExport, auditExport, auditVerify } from './commands/audit.js';
import { keysRotate } from './commands/keys.js';
import { usersResetPassword, usersUnlock } from './commands/users.js';
import type { Command } from './command.js';

/** Every command of `rescuebox`, in the order --help lists them. Explicit: no command loads by accident. */
export const commands: Command[] = [auditVerify, auditCheckpoint, auditCheckpointsExport, auditExport, usersUnlock, usersResetPassword, keysRotate];
