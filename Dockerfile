# The Nexus central server (API, storefront, sync), compiled to plain JavaScript.
#   docker build -t nexus-server .
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://… -e JWT_SECRET=… nexus-server
# The back-office desktop app is not in this image: it ships as a desktop package (npm run dist).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 (a dependency of the desktop host) compiles from source when no prebuilt
# binary matches; the server itself never loads it.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.server.json ./
COPY server ./server
COPY shared ./shared
COPY scripts ./scripts
RUN npm run build:server && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data SEED_DEMO=false
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# DATA_DIR holds local media (when Cloudinary is not configured) and PGlite when DATABASE_URL is unset.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/api/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains in-flight requests and stops the workers (SHUTDOWN_TIMEOUT_MS), then exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/main.js"]
