import type { ComponentChildren } from 'preact';
import type { Me } from '../../api/client.js';
import { mayUseDesk } from '../../desk/access.js';
import { ChangePage, ChangesPage } from './changes.js';
import { CiPage } from './ci.js';
import { CmdbPage } from './cmdb.js';
import { IncidentPage } from './incident.js';
import { IncidentsPage } from './incidents.js';
import { KbArticlePage } from './kb-article.js';
import { KbPage } from './kb.js';
import { ProblemPage } from './problem.js';
import { ProblemsPage } from './problems.js';
import { ReleasePage, ReleasesPage } from './releases.js';
import { DeskSettingsPage } from './settings.js';
import { isAdmin } from '../../session.js';

/** A page behind login as the app's route table takes it: who may open it and what it shows. */
export interface RouteEntry {
  allowed: (me: Me) => boolean;
  render: (me: Me, params: string[]) => ComponentChildren;
}

/** The technician side of the service desk, by path pattern. */
export const deskRoutes: [RegExp, RouteEntry][] = [
  [/^\/desk(?:\/incidents)?$/, { allowed: mayUseDesk, render: () => <IncidentsPage /> }],
  [/^\/desk\/incidents\/([\w-]+)$/, { allowed: mayUseDesk, render: (_me, [id]) => <IncidentPage key={id} id={id!} /> }],
  [/^\/desk\/problems$/, { allowed: mayUseDesk, render: () => <ProblemsPage /> }],
  [/^\/desk\/problems\/([\w-]+)$/, { allowed: mayUseDesk, render: (_me, [id]) => <ProblemPage key={id} id={id!} /> }],
  [/^\/desk\/changes$/, { allowed: mayUseDesk, render: () => <ChangesPage /> }],
  [/^\/desk\/changes\/([\w-]+)$/, { allowed: mayUseDesk, render: (me, [id]) => <ChangePage key={id} id={id!} me={me} /> }],
  [/^\/desk\/releases$/, { allowed: mayUseDesk, render: () => <ReleasesPage /> }],
  [/^\/desk\/releases\/([\w-]+)$/, { allowed: mayUseDesk, render: (_me, [id]) => <ReleasePage key={id} id={id!} /> }],
  [/^\/desk\/cmdb$/, { allowed: mayUseDesk, render: () => <CmdbPage /> }],
  [/^\/desk\/cmdb\/([\w-]+)$/, { allowed: mayUseDesk, render: (_me, [id]) => <CiPage key={id} id={id!} /> }],
  // The server lets only account and network admins change the settings.
  [/^\/desk\/settings$/, { allowed: (me) => isAdmin(me.user.role), render: () => <DeskSettingsPage /> }],
  [/^\/desk\/kb$/, { allowed: mayUseDesk, render: () => <KbPage /> }],
  [/^\/desk\/kb\/([\w-]+)$/, { allowed: mayUseDesk, render: (_me, [id]) => <KbArticlePage key={id} id={id!} /> }],
];
