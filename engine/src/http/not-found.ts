import type { FastifyReply, FastifyRequest } from 'fastify';

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
    return reply.code(404).send({
      code: 'NOT_FOUND',
      message: `No route ${request.method} ${path}; the API is documented at /docs.`,
    });
  };
}
