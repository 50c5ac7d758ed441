# Portvagt: multi-stage build, runtime as the non-root "node" user.
#   docker build -t portvagt .
#   docker run -p 3000:3000 -e DATABASE_URL=… -e REDIS_URL=… -e PORTVAGT_CONFIG=/app/config/portvagt.yaml portvagt
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
# Toolchain only for native modules without a prebuilt binary (better-sqlite3, argon2); not in the final image.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json ./
COPY --chown=root:root src ./src
COPY --chown=root:root views ./views
COPY --chown=root:root public ./public
COPY --chown=root:root config ./config
COPY --chown=root:root deploy/portvagt.yaml ./config/portvagt.yaml
COPY --chown=root:root scripts/cluster.ts ./scripts/cluster.ts
# The code is read-only for the process; only the embedded default's data directory is writable.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# tsx runs the TypeScript sources as they are (it is a runtime dependency); SIGTERM drains in-flight requests.
CMD ["node", "--import", "tsx", "src/main.ts"]
