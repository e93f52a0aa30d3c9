import { z } from 'zod';
import { roles } from '../../../auth/roles.js';

const email = z.email().max(320).transform((e) => e.trim().toLowerCase());

/** Body of POST /api/v1/users. */
export const createUserBody = z.object({
  email,
  password: z.string().min(1).max(1024),
  role: z.enum(roles),
  groups: z.array(z.string().min(1).max(64)).max(100).optional(),
  enabled: z.boolean().optional(),
  displayName: z.string().trim().max(200).optional(),
}).strict();

/** Body of PATCH /api/v1/users/:id; a password here is an admin reset. */
export const updateUserBody = z.object({
  email: email.optional(),
  password: z.string().min(1).max(1024).optional(),
  role: z.enum(roles).optional(),
  groups: z.array(z.string().min(1).max(64)).max(100).optional(),
  enabled: z.boolean().optional(),
  displayName: z.string().trim().max(200).optional(),
}).strict();
