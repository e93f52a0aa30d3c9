/**
 * The service desk's rows of the authorization matrix (core/http/authorization-matrix.test.ts).
 * Columns: anonymous, account_admin, network_admin, technician, customer, agent. The matrix's
 * technician belongs to no group, so it lacks `service_desk` and is refused (403) on every desk
 * route; desk-access.test.ts checks that a technician with the permission passes them all.
 * Portal routes are for customers only.
 */
export const deskMatrix: Record<string, string> = {
  'GET /api/v1/desk/incidents': '-AA---',
  'POST /api/v1/desk/incidents': '-AA---',
  'POST /api/v1/desk/incidents/bulk': '-AA---',
  'GET /api/v1/desk/incidents/:id': '-AA---',
  'PATCH /api/v1/desk/incidents/:id': '-AA---',
  'POST /api/v1/desk/incidents/:id/reopen': '-AA---',
  'GET /api/v1/desk/incidents/:id/history': '-AA---',
  'POST /api/v1/desk/incidents/:id/comments': '-AA---',
  'POST /api/v1/desk/incidents/:id/attachments': '-AA---',
  'GET /api/v1/desk/incidents/:id/attachments/:attachmentId': '-AA---',
  'POST /api/v1/desk/incidents/:id/remote-session': '-AA---',
  'GET /api/v1/desk/queues': '-AA---',
  'GET /api/v1/desk/settings': '-AA---',
  'PUT /api/v1/desk/settings': '-AA---',
  'GET /api/v1/desk/directory': '-AA---',
  'GET /api/v1/desk/kb/categories': '-AA---',
  'POST /api/v1/desk/kb/categories': '-AA---',
  'PATCH /api/v1/desk/kb/categories/:id': '-AA---',
  'DELETE /api/v1/desk/kb/categories/:id': '-AA---',
  'GET /api/v1/desk/kb/articles': '-AA---',
  'POST /api/v1/desk/kb/articles': '-AA---',
  'GET /api/v1/desk/kb/articles/:id': '-AA---',
  'PATCH /api/v1/desk/kb/articles/:id': '-AA---',
  'DELETE /api/v1/desk/kb/articles/:id': '-AA---',
  'POST /api/v1/desk/kb/articles/:id/vote': '-AA---',
  'GET /api/v1/portal/kb/categories': '----A-',
  'GET /api/v1/portal/kb/articles': '----A-',
  'GET /api/v1/portal/kb/articles/:id': '----A-',
  'POST /api/v1/portal/kb/articles/:id/vote': '----A-',
  'GET /api/v1/portal/meta': '----A-',
  'GET /api/v1/portal/incidents': '----A-',
  'POST /api/v1/portal/incidents': '----A-',
  'GET /api/v1/portal/incidents/:id': '----A-',
  'POST /api/v1/portal/incidents/:id/comments': '----A-',
  'POST /api/v1/portal/incidents/:id/attachments': '----A-',
  'GET /api/v1/portal/incidents/:id/attachments/:attachmentId': '----A-',
  'POST /api/v1/portal/incidents/:id/reopen': '----A-',
};
