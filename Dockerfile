# syntax=docker/dockerfile:1
# RescueBox appliance image: one Node process serves broker, relay and UI.
# Two stages so the compilers and dev dependencies never reach the runtime image.
# scripts/dockerfile.test.ts performs these steps without Docker; keep the two in step.

# ---- build: native modules, TypeScript, UI bundle -------------------------------------
FROM node:24-bookworm-slim AS build
# node-gyp compiles better-sqlite3 from source when no prebuilt binary can be fetched;
# osslsigncode strips node.exe's signature before the support program is injected into it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ osslsigncode \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Manifests first: the dependency layer stays cached until they change.
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# Also builds the single-file support programs (scripts/build-sea.mjs fetches the pinned Node 24
# binaries for Linux x64/arm64 and Windows x64 from the npm registry into dist/public/downloads/support).
RUN npm run build
# Keep only production dependencies (the compiled better-sqlite3 stays).
RUN npm prune --omit=dev

# ---- runtime: only what `node dist/core/main.js` needs ---------------------------------
FROM node:24-bookworm-slim AS runtime
# osslsigncode: Authenticode for the Windows support program when CODE_SIGNING_CERT/KEY are set.
RUN apt-get update \
 && apt-get install -y --no-install-recommends osslsigncode \
 && rm -rf /var/lib/apt/lists/*
# The master key that seals stored secrets lives on its own volume, never in /data (see README).
ENV NODE_ENV=production DATA_DIR=/data PORT=8443 MASTER_KEY_FILE=/keys/master.key
WORKDIR /app
# Root-owned application files: the service user can read but not rewrite its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The database and TLS certificate live in /data, the master key in /keys; both belong to the service user
# before VOLUME, or a fresh named volume would be created root-owned.
RUN mkdir -p /data /keys && chown 1000:1000 /data && chown 1000:1000 /keys && chmod 700 /keys
VOLUME /data
VOLUME /keys
# The image's `node` user, given by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
# 8443: consoles, API and relay; 8200: the relay port agents try first (RELAY_PORT).
EXPOSE 8443 8200
# Slim images have no curl; node itself asks /healthz (self-signed certificate unless TLS=off).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const m = require(process.env.TLS === 'off' ? 'node:http' : 'node:https'); m.get({ host: '127.0.0.1', port: process.env.PORT || 8443, path: '/healthz', rejectUnauthorized: false, timeout: 4000 }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('timeout', () => process.exit(1)).on('error', () => process.exit(1));"]
# Exec form: node is PID 1 and receives SIGTERM itself; main.ts drains requests and exits 0.
CMD ["node", "dist/core/main.js"]
