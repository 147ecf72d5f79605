import { sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Vite names bundled assets by content hash, so they never change under the same URL. */
const HASHED_ASSETS = `${sep}assets${sep}`;

/** Serves the built editor at `/`; `index.html` is revalidated, hashed assets cached for a year. */
export async function registerEditor(app: FastifyInstance, editorDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: editorDir,
    prefix: '/',
    cacheControl: false,
    setHeaders(response, filePath) {
      response.setHeader(
        'cache-control',
        filePath.includes(HASHED_ASSETS) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
