import type { ComponentChildren } from 'preact';
import type { Me } from '../../api/client.js';
import { mayUseDesk } from '../../desk/access.js';
import { IncidentPage } from './incident.js';
import { IncidentsPage } from './incidents.js';

/** A page behind login as the app's route table takes it: who may open it and what it shows. */
export interface RouteEntry {
  allowed: (me: Me) => boolean;
  render: (me: Me, params: string[]) => ComponentChildren;
}

/** The technician side of the service desk, by path pattern. */
export const deskRoutes: [RegExp, RouteEntry][] = [
  [/^\/desk(?:\/incidents)?$/, { allowed: mayUseDesk, render: () => <IncidentsPage /> }],
  [/^\/desk\/incidents\/([\w-]+)$/, { allowed: mayUseDesk, render: (_me, [id]) => <IncidentPage key={id} id={id!} /> }],
];
