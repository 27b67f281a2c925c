// The shells the container has (console:shells), for the text console's picker: only what
// the server found there is offered. Until it answers, or if it cannot, the default stays.
import { useEffect, useState } from 'react';
import { errorOf } from './console-session';
import type { ErrorInfo } from '../../../shared/errors';
import { getClient } from '../client';

export const DEFAULT_SHELL = '/bin/sh';

export function useShells(nodeId: string, enabled: boolean): { shells: string[]; error: ErrorInfo | null } {
  const [shells, setShells] = useState<string[]>([DEFAULT_SHELL]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let disposed = false;
    setError(null);
    getClient()
      .client.invoke('console:shells', nodeId)
      .then(
        (found) => !disposed && setShells(found.length ? found : [DEFAULT_SHELL]),
        (e) => !disposed && setError(errorOf(e)),
      );
    return () => {
      disposed = true;
    };
  }, [nodeId, enabled]);
  return { shells, error };
}
