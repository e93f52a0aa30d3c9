import { brandingSchema, loadBranding, loadLogo, logoType, MAX_LOGO_BYTES, saveBranding, saveLogo } from '../../../branding/branding.js';
import { ApiError } from '../../errors.js';
import { defineRoute } from '../../route.js';

const owners = { roles: ['account_admin'] } as const;

/** The PIN page's branding: public to read, account admins change it. */
export const brandingRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/branding', tag: 'branding', summary: 'Company name, colours, texts (de/en) and whether a logo exists, for the PIN page.',
    access: { public: true, reason: 'the customer\'s PIN page shows it before anyone logs in' },
    responses: { 200: 'Branding' },
    handler: async (c) => c.json(await loadBranding(c.get('services').db)),
  }),
  defineRoute({
    method: 'put', path: '/api/v1/branding', tag: 'branding', summary: 'Save the branding.', access: owners, body: brandingSchema,
    responses: { 200: 'Branding', 400: 'invalid colours or texts' },
    handler: async (c, { body, principal }) => {
      const { db, clock, audit } = c.get('services');
      await saveBranding(db, body, clock.now());
      await audit.record({ action: 'branding.change', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), details: { companyName: body.companyName } });
      return c.json(await loadBranding(db));
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/branding/logo', tag: 'branding', summary: 'The logo image.',
    access: { public: true, reason: 'the customer\'s PIN page shows it before anyone logs in' },
    responses: { 200: 'PNG, JPEG or WebP', 404: 'No logo' },
    handler: async (c) => {
      const logo = await loadLogo(c.get('services').db);
      if (!logo) throw new ApiError('not_found', 'No logo.');
      return c.body(new Uint8Array(logo.bytes), 200, { 'Content-Type': logo.type, 'Cache-Control': 'no-cache', 'Content-Disposition': 'inline; filename="logo"' });
    },
  }),
  defineRoute({
    method: 'put', path: '/api/v1/branding/logo', tag: 'branding', summary: `Upload the logo as the raw request body (PNG, JPEG or WebP, at most ${MAX_LOGO_BYTES / 1024} KiB).`, access: owners,
    responses: { 204: 'Saved', 400: 'not a PNG/JPEG/WebP image', 413: 'too large' },
    handler: async (c, { principal }) => {
      if (Number(c.req.header('content-length') ?? '0') > MAX_LOGO_BYTES) throw new ApiError('payload_too_large', `The logo may have at most ${MAX_LOGO_BYTES / 1024} KiB.`);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.length > MAX_LOGO_BYTES) throw new ApiError('payload_too_large', `The logo may have at most ${MAX_LOGO_BYTES / 1024} KiB.`);
      const type = logoType(bytes);
      if (!type) throw new ApiError('invalid_request', 'The logo must be a PNG, JPEG or WebP image.');
      const { db, clock, audit } = c.get('services');
      await saveLogo(db, { type, bytes }, clock.now());
      await audit.record({ action: 'branding.logo', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), details: { type, bytes: bytes.length } });
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/branding/logo', tag: 'branding', summary: 'Remove the logo.', access: owners,
    responses: { 204: 'Removed' },
    handler: async (c, { principal }) => {
      const { db, clock, audit } = c.get('services');
      await saveLogo(db, null, clock.now());
      await audit.record({ action: 'branding.logo', outcome: 'success', actorId: principal!.userId, actorEmail: principal!.email, ip: c.get('clientIp'), details: { removed: true } });
      return c.body(null, 204);
    },
  }),
];
