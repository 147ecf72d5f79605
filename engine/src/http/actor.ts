import type { FastifyRequest } from 'fastify';
import type { Actor } from '../contract/accounts.ts';

/** What an `X-Editor-Name` is cut to, as drafts keep it. */
const NAME_MAX = 100;

/** Header values are Latin-1, so the editor percent-encodes the name; a name sent plain stays as it is. */
export function editorName(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

/** The `X-Editor-Name` a request carries, decoded and cut; undefined when absent or blank. */
function namedEditor(request: FastifyRequest): string | undefined {
  const header = request.headers['x-editor-name'];
  return (
    editorName(typeof header === 'string' ? header : undefined)
      ?.trim()
      .slice(0, NAME_MAX) || undefined
  );
}

/**
 * Who made an operator call, as the auth hook identified them (`request.actor`). Only API-key
 * routes know their caller: asking on another route is a mistake in the route, said so.
 */
export function actorOf(request: FastifyRequest): Actor {
  if (request.actor) return request.actor;
  throw new Error(
    `${request.method} ${request.routeOptions.url} has no caller: only API-key routes (config.auth 'apiKey') know who calls.`,
  );
}

/**
 * Who to name as the author of a draft save, a version or a retry: a named key's or a user's
 * name; for the install's key, shared by everyone who has it, only the name the editor sends
 * (undefined when it sends none, shown as "someone using the API").
 */
export function authorOf(request: FastifyRequest): string | undefined {
  const actor = actorOf(request);
  return actor.kind === 'install-key' ? namedEditor(request) : actor.name;
}
