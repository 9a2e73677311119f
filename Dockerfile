# syntax=docker/dockerfile:1
# bukubesar as a container: a build stage compiles the TypeScript and keeps only production dependencies,
# the runtime stage runs the built command as an unprivileged user. See docs/operations.md ("Running it as
# a service"). Build: docker build -t bukubesar .

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 ships prebuilt binaries; the compilers are there for an architecture it has none for.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@12.4.2 --allow-scripts=pnpm
WORKDIR /src
COPY . .
ENV npm_config_nodedir=/usr/local
RUN pnpm install --frozen-lockfile \
  && pnpm build \
  && pnpm install --frozen-lockfile --prod \
  && rm -rf .git .tools .test-results .bench data

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=8080 \
  DATA_DIR=/var/lib/bukubesar
RUN groupadd --system --gid 10001 bukubesar \
  && useradd --system --uid 10001 --gid bukubesar --home-dir /var/lib/bukubesar --shell /usr/sbin/nologin bukubesar \
  && install -d -o bukubesar -g bukubesar -m 0700 /var/lib/bukubesar \
  && ln -s /app/services/cli/bin/bukubesar.mjs /usr/local/bin/bukubesar
WORKDIR /app
COPY --from=build /src /app
USER bukubesar
VOLUME ["/var/lib/bukubesar"]
EXPOSE 8080
# Ready means the store answers and the projections have caught up (GET /ready, 200 or 503).
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["bukubesar"]
CMD ["serve"]
