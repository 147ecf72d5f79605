import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { errorBody } from './error-body.ts';

/**
 * Unknown routes: JSON 404 for the API; with the editor served, any other GET is one of the
 * single-page app's own routes (e.g. `/workflows/csat`), so it gets `index.html`.
 */
export function createNotFoundHandler(serveEditor: boolean) {
  return function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
    const path = request.url.split('?', 1)[0] ?? '/';
    const isPage = request.method === 'GET' || request.method === 'HEAD';
    if (serveEditor && isPage && !path.startsWith('/api/') && path !== '/api') {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    const error = new AppError('NOT_FOUND', `No route ${request.method} ${path}; the API is documented at /docs.`);
    return reply.code(error.status).send(errorBody(error));
  };
}
