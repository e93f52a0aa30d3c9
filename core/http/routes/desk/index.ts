import type { RouteSpec } from '../../route.js';
import { portalIncidentRoutes } from '../portal/incidents.js';
import { portalKbRoutes } from '../portal/kb.js';
import { deskCmdbRoutes } from './cmdb.js';
import { deskItilRoutes } from './itil.js';
import { deskKbRoutes } from './kb.js';
import { deskOrganisationRoutes } from './organisations.js';
import { deskIncidentRoutes } from './incidents.js';
import { deskWorkRoutes } from './incident-work.js';

export { requireServiceDesk } from './access.js';

/**
 * Every service-desk route: staff desk routes and the portal. The `service_desk` permission of
 * technicians is checked by the requireServiceDesk middleware on /api/v1/desk/*.
 */
export const serviceDeskRoutes: RouteSpec[] = [...deskWorkRoutes, ...deskIncidentRoutes, ...deskKbRoutes, ...deskItilRoutes, ...deskCmdbRoutes, ...deskOrganisationRoutes, ...portalIncidentRoutes, ...portalKbRoutes];
