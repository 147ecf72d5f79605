import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { RouteRole } from '../contract/accounts.ts';
import type { RouteAuth } from './route-config.ts';

/**
 * For the route matrix tests (`route-auth.test.ts`, `role-matrix.test.ts`): the operations the
 * app's OpenAPI document lists, odd spellings of their paths, and requests sent over a raw
 * socket so the request target reaches the server byte for byte.
 */

export interface Operation {
  method: string;
  /** The path with its parameters filled in (`x`, a version `1`). */
  path: string;
  auth: RouteAuth;
  /** What an `apiKey` operation asks of its caller, as the document says it. */
  role: RouteRole | undefined;
}

export interface Answer {
  status: number;
  message: string;
}

interface DocumentedOperation {
  security: Record<string, string[]>[];
  'x-required-role'?: RouteRole;
}

/** Every operation of the OpenAPI document the app serves. */
export async function documentedOperations(app: FastifyInstance): Promise<Operation[]> {
  const document = (await app.inject({ url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, DocumentedOperation>>;
  };
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: path.replace('{version}', '1').replace(/\{[^}]+\}/g, 'x'),
      auth: authOf(operation.security),
      role: operation['x-required-role'],
    })),
  );
}

/**
 * An answer that proves no handler ran: refused by auth (401, 403 for a role, 415 for a signed
 * route's content type), not routed, or not a valid URL. A 404 or 400 from a handler or its
 * validation would mean the request got past authentication, so those count only with the
 * router's words.
 */
export function refused({ status, message }: Answer): boolean {
  if (status === 401 || status === 403 || status === 415) return true;
  if (status === 404) return message.startsWith('No route');
  if (status === 400) return message.startsWith('The request URL is not valid');
  return false;
}

/** `/%61pi/…`: the first character of each segment percent-encoded. */
export const encodeFirst = (path: string) =>
  path
    .split('/')
    .map((segment) =>
      segment === '' ? '' : `%${segment.charCodeAt(0).toString(16).padStart(2, '0')}${segment.slice(1)}`,
    )
    .join('/');

const encodeAll = (segment: string) =>
  [...segment].map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');

/** Request targets that name `path` in other ways. */
export function spellings(path: string, origin: string): string[] {
  const segments = path.split('/');
  return [
    path,
    encodeFirst(path),
    segments.map((segment, index) => (index === 1 ? encodeAll(segment) : segment)).join('/'),
    segments.map((segment) => segment.replace(/[a-z]/g, (char) => `%${char.charCodeAt(0).toString(16)}`)).join('/'),
    path.toUpperCase(),
    path.replace('/api/', '/Api/'),
    `/${path}`,
    path.replace('/api/', '/api//'),
    path.replace('/api/', '/api/./'),
    path.replace('/api/', '/x/../api/'),
    `${path}/`,
    `${path}?`,
    `${path};x`,
    `${origin}${path}`,
    `${origin}${encodeFirst(path)}`,
    `HTTP://EVIL.EXAMPLE${path}`,
  ];
}

export function rawRequest(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(answer.match(/^HTTP\/1\.1 (\d{3})/)?.[1]);
      if (Number.isNaN(status)) reject(new Error(`no HTTP answer to ${method} ${target}: ${answer.slice(0, 80)}`));
      else resolve({ status, message: messageOf(answer.slice(answer.indexOf('\r\n\r\n') + 4)) });
    });
    const lines = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close'];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    if (body !== undefined) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
    // Not `end()`: a half-closed socket may be dropped before a slow handler answers.
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
  });
}

/** What a POST or PUT of the matrix sends: an empty object, which no handler takes as a change. */
export const bodyFor = (method: string) =>
  method === 'POST' || method === 'PUT' || method === 'PATCH' ? '{}' : undefined;

function authOf(security: Record<string, string[]>[]): RouteAuth {
  const schemes = security.flatMap((requirement) => Object.keys(requirement));
  if (schemes.length === 0) return 'public';
  if (schemes.includes('signature')) return 'signature';
  if (schemes.includes('metricsToken')) return 'metrics';
  if (schemes.includes('channelSignature')) return 'channel';
  return 'apiKey';
}

function messageOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && 'message' in parsed ? String(parsed.message) : body;
  } catch {
    return body.slice(0, 100);
  }
}
