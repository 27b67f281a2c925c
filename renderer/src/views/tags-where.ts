// Where the Edit tags dialog's objects keep their tags, as the core would put them now
// (labels:tagsWhere): the server in its platform's words, or Polyvisor's profile — a
// standalone ESXi host keeps none though its platform's facet says vCenter does.
import { useEffect, useState } from 'react';
import type { LocalizedText } from '../../../shared/descriptor';
import type { ErrorInfo } from '../../../shared/errors';
import { tagsWhere } from './view-requests';

export function useTagsWhere(nodeIds: string[]): { where: Record<string, LocalizedText | null> | null; error: string | null } {
  const [where, setWhere] = useState<Record<string, LocalizedText | null> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = nodeIds.join('\n');
  useEffect(() => {
    let current = true;
    tagsWhere(key.split('\n')).then(
      (found) => current && setWhere(found),
      (e: ErrorInfo) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return { where, error };
}
