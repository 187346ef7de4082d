# syntax=docker/dockerfile:1
# The Burnrate server (and the `burnrate` CLI, including the traffic simulator) as a container:
#
#   docker build -t burnrate:0.1.0 .
#   docker run -p 8787:8787 -v burnrate:/var/lib/burnrate \
#     -e BURNRATE_ADMIN_TOKEN=... -e BURNRATE_PROMETHEUS_URL=http://prometheus:9090 burnrate:0.1.0
#
# The image holds the compiled CLI/server (build/) and only its runtime dependencies; the Grafana
# app is not in it (it goes into Grafana's plugin folder: see docs/install.md).

ARG NODE_IMAGE=node:20.19.0-bookworm-slim

# --- compile the TypeScript CLI, server and simulator ---
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Scripts are skipped: better-sqlite3 is built in the runtime-deps stage, `prepare` runs below.
RUN npm ci --ignore-scripts --no-audit --no-fund --fetch-timeout=60000
COPY tsconfig.json tsconfig.node.json ./
COPY src/core src/core
COPY src/cli src/cli
COPY src/server src/server
COPY src/simulator src/simulator
RUN npx tsc -p tsconfig.node.json \
 && node -e "\
const lock = require('./package-lock.json').packages;\
const names = ['better-sqlite3', 'pg', 'yaml', '@grafana/lezer-logql', '@prometheus-io/lezer-promql', '@lezer/common', '@lezer/lr', '@lezer/highlight', 're2js'];\
const dependencies = {};\
for (const n of names) { const p = lock['node_modules/' + n]; if (p) dependencies[n] = p.version; }\
require('fs').writeFileSync('runtime-package.json', JSON.stringify({ name: 'burnrate-runtime', private: true, dependencies }, null, 2));"

# --- runtime dependencies only (better-sqlite3 compiles from source here) ---
FROM ${NODE_IMAGE} AS runtime-deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/runtime-package.json package.json
RUN npm install --omit=dev --no-audit --no-fund --fetch-timeout=60000

# --- the image ---
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    BURNRATE_HOST=0.0.0.0 \
    BURNRATE_PORT=8787 \
    BURNRATE_DB=/var/lib/burnrate/burnrate.db
WORKDIR /app
COPY --from=runtime-deps /app/node_modules node_modules
COPY --from=build /src/build build
COPY bin bin
COPY schema schema
# `burnrate --help` names the docs folder beside build/.
COPY docs docs
COPY package.json LICENSE README.md ./
# Folders the compose stack mounts volumes on, owned by the unprivileged user so that new
# volumes start writable (SQLite, delivered rule files, backfilled history); the database's
# folder is readable by that user only.
RUN mkdir -p /var/lib/burnrate /etc/prometheus/rules/burnrate /backfill /etc/burnrate/slos \
 && chown node:node /var/lib/burnrate /etc/prometheus/rules/burnrate /backfill \
 && chmod 700 /var/lib/burnrate
USER node
EXPOSE 8787 9464
VOLUME ["/var/lib/burnrate"]
HEALTHCHECK --interval=15s --timeout=5s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.BURNRATE_PORT || 8787) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["node", "/app/bin/burnrate.js"]
CMD ["serve"]
