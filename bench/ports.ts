import { createServer } from 'node:net';

/** A port free right now on 127.0.0.1 (the process that needs it binds it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('Could not find a free port on 127.0.0.1');
  return address.port;
}
