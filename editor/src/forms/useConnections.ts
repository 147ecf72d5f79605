import type { ConnectionSummary } from '@convoflow/engine';
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';

type ConnectionType = ConnectionSummary['type'];
export type ConnectionOf<T extends ConnectionType> = Extract<ConnectionSummary, { type: T }>;

/** The stored connections of one type (`GET /api/connections`), loaded once; null while loading. */
export function useConnections<T extends ConnectionType>(type: T) {
  const [connections, setConnections] = useState<ConnectionOf<T>[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loads, setLoads] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `loads` is what `reload` changes to load again
  useEffect(() => {
    api.connections
      .list()
      .then((list) => {
        setConnections(list.filter((connection): connection is ConnectionOf<T> => connection.type === type));
        setLoadError(null);
      })
      .catch((error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)));
  }, [type, loads]);
  /** Shows a connection just created without loading the list again. */
  const add = (created: ConnectionOf<T>) =>
    setConnections((list) => [...(list ?? []).filter((connection) => connection.id !== created.id), created]);
  /** Loads the list again: a check may have marked a connection refused or cleared it. */
  const reload = () => setLoads((count) => count + 1);
  return { connections, loadError, add, reload };
}
