# The OnionChat app: API, WebSocket and the exported web client, on internal networks.
# It is published only by the tor service (see docker-compose.yml). The base image is
# named by tag until `node scripts/pin-images.mjs` pins it (deploy/unpinned-images.txt).
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 CI=true
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY contract/package.json contract/
COPY client/package.json client/
COPY cli/package.json cli/
COPY prisma/package.json prisma/
COPY tor/package.json tor/
COPY server/package.json server/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY . .
# The deployment's secrets live in .env beside this file; they must not ship in the image.
RUN rm -f .env .env.* && DATABASE_URL=postgresql://build/unused npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
COPY --from=build /app /app
# The files volume takes this directory's owner when Docker first creates it.
RUN mkdir -p /app/.data/files && chown -R node:node /app/.data
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --retries=5 CMD ["node", "-e", "fetch('http://127.0.0.1:8080/api/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "scripts/start.mjs"]
