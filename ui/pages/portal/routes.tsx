import { mayUsePortal } from '../../desk/access.js';
import type { RouteEntry } from '../desk/routes.js';
import { PortalIncidentPage } from './incident.js';
import { PortalIncidentsPage } from './incidents.js';
import { PortalArticlePage, PortalKbPage } from './kb.js';
import { PortalNewIncidentPage } from './new-incident.js';

/** The customer's self-service portal, by path pattern. */
export const portalRoutes: [RegExp, RouteEntry][] = [
  [/^\/portal$/, { allowed: mayUsePortal, render: () => <PortalIncidentsPage /> }],
  [/^\/portal\/new$/, { allowed: mayUsePortal, render: () => <PortalNewIncidentPage /> }],
  [/^\/portal\/incidents\/([\w-]+)$/, { allowed: mayUsePortal, render: (_me, [id]) => <PortalIncidentPage key={id} id={id!} /> }],
  [/^\/portal\/kb$/, { allowed: mayUsePortal, render: () => <PortalKbPage /> }],
  [/^\/portal\/kb\/([\w-]+)$/, { allowed: mayUsePortal, render: (_me, [id]) => <PortalArticlePage key={id} id={id!} /> }],
];
