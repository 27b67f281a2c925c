// Reads something from the core when `key` changes and keeps the latest answer or error;
// an answer that arrives after the key moved on is dropped.
import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { Answer } from '../migration/migration-requests';

export function useAnswer<T>(read: () => Promise<Answer<T>>, key: string): { value: T | null; error: ErrorInfo | null } {
  const [state, setState] = useState<{ value: T | null; error: ErrorInfo | null }>({ value: null, error: null });
  useEffect(() => {
    let live = true;
    void read().then((answer) => {
      if (!live) return;
      setState((now) => (answer.ok ? { value: answer.value, error: null } : { value: now.value, error: answer.error }));
    });
    return () => {
      live = false;
    };
    // `read` is rebuilt on every render: the key alone says when to read again
  }, [key]);
  return state;
}
