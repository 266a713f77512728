# uig REST gateway. Build: docker build -t uig . ; run: see compose.yaml and docs/operations.md.

# 1. Build the published tarball from the workspace (pnpm pack:all -> packs/uig-<version>.tgz).
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN npm install -g pnpm@10
COPY . .
RUN pnpm install --frozen-lockfile && pnpm pack:all

# 2. Run: the tarball installed exactly as the packed-install test installs it
#    (scripts/install-packed.sh), as the image's non-root `node` user.
FROM node:20-bookworm-slim
COPY --from=build /src/scripts/install-packed.sh /tmp/uig/
COPY --from=build /src/packs/ /tmp/uig/
RUN sh /tmp/uig/install-packed.sh /opt/uig /tmp/uig/uig-*.tgz && rm -rf /tmp/uig /root/.npm \
  && mkdir /data && chown node:node /data
# HOST=0.0.0.0 keeps the startup refusal: without UIG_API_KEYS (or clients in UIG_CONFIG)
# the gateway will not start, so a published port is never an open gateway.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 UIG_DATA_DIR=/data
VOLUME /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["/opt/uig/node_modules/.bin/uig"]
CMD ["serve"]
