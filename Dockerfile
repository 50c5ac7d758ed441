# Portvagt: multi-stage build, runtime as the non-root "node" user.
#   docker build -t portvagt .
#   docker run -p 3000:3000 -v ./portvagt.yaml:/app/config/portvagt.yaml:ro -e PORTVAGT_CONFIG=/app/config/portvagt.yaml \
#     -e DATABASE_URL=… -e REDIS_URL=… -e PORTVAGT_COOKIE_KEYS=… -e PORTVAGT_CPR_HMAC_KEY=… portvagt
# The runtime image holds no configuration, no demo and no mock upstreams: without a configuration of
# its own it stops with one line saying so. The "devtools" stage adds the mocks for docker-compose.yml.
# Runs read-only too: docker run --read-only -v portvagt-data:/app/data … (only /app/data is written).
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
# Toolchain only for native modules without a prebuilt binary (better-sqlite3, argon2); not in the final image.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# The sources the server runs, without the development tools (mock upstreams, demo system).
FROM node:${NODE_VERSION}-bookworm-slim AS sources
WORKDIR /app
COPY bin ./bin
COPY src ./src
RUN rm -rf src/dev

# Mock upstreams and the demo system for docker-compose.yml ("devtools"): never a production image.
FROM node:${NODE_VERSION}-bookworm-slim AS devtools
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root src ./src
COPY --chown=root:root views ./views
COPY --chown=root:root public ./public
COPY --chown=root:root deploy/portvagt.yaml ./config/portvagt.yaml
COPY --chown=root:root scripts/cluster.ts scripts/child-exit.ts scripts/load-balancer.ts ./scripts/
USER node
# Its own health check (the runtime's probes port 3000): the mock MitID's discovery document.
EXPOSE 8090
HEALTHCHECK --interval=10s --timeout=10s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.DEVTOOLS_PORT||8090)+'/mock/mitid/.well-known/openid-configuration').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "scripts/cluster.ts", "devtools"]

# The production image (the default target: last stage).
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# HOST: a container's port is reached through its network interface, never its loopback.
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json ./
COPY --from=sources --chown=root:root /app/bin ./bin
COPY --from=sources --chown=root:root /app/src ./src
COPY --chown=root:root views ./views
COPY --chown=root:root public ./public
# The code is read-only for the process; only the embedded default's data directory is writable.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=10s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Node runs the TypeScript sources itself (type stripping, no loader); bin/start.js checks the Node
# version first. SIGTERM drains in-flight requests. The young generation's cap and the malloc arenas
# are npm start's (about 20 MB less idle RSS; see bench/production-runtime.ts).
ENV MALLOC_ARENA_MAX=2
CMD ["node", "--max-semi-space-size=8", "bin/start.js"]
