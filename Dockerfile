# One image for both services of docker-compose.yml: the API server and the queue worker.

# Build stage: every dependency, so Vite can build the editor and tsc the server code.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY engine/package.json engine/
COPY nodes/package.json nodes/
COPY channels/package.json channels/
COPY workers/package.json workers/
COPY editor/package.json editor/
COPY test/package.json test/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime stage: production dependencies, the compiled JavaScript (run by plain node) and the built editor.
FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
COPY engine/package.json engine/
COPY nodes/package.json nodes/
COPY channels/package.json channels/
COPY workers/package.json workers/
COPY editor/package.json editor/
COPY test/package.json test/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/engine/dist engine/dist
COPY --from=build /app/nodes/dist nodes/dist
COPY --from=build /app/channels/dist channels/dist
COPY --from=build /app/workers/dist workers/dist
COPY examples examples
COPY --from=build /app/editor/dist editor/dist
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
# The processes drain on SIGTERM: HTTP stops accepting, in-flight steps finish, then they exit.
STOPSIGNAL SIGTERM
# --conditions=convoflow-dist: the workspace packages resolve to their dist/, not their .ts sources.
CMD ["node", "--conditions=convoflow-dist", "workers/dist/server.js"]
