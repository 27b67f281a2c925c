// A VM's graphical console in its Console tab: the window's kept console of that VM
// (console-keeper.ts), which can also be opened in a window of its own.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { ConsoleError } from './ConsoleError';
import { ConsoleScreen } from './ConsoleScreen';
import { errorOf } from './console-session';
import { detachConsole } from './detached';
import { useKeptConsole } from './use-kept-console';

export function GraphicalConsole({ node }: { node: InventoryNode }) {
  const { i18n } = useTranslation();
  const session = useKeptConsole(node);
  const [detachError, setDetachError] = useState<ErrorInfo | null>(null);
  const detach = () => {
    setDetachError(null);
    detachConsole(node, i18n.language).catch((e: unknown) => setDetachError(errorOf(e)));
  };
  return (
    <>
      {detachError ? (
        <div className="console-message" data-testid="console-detach-error">
          <ConsoleError error={detachError} />
        </div>
      ) : null}
      <ConsoleScreen node={node} session={session} onDetach={detach} />
    </>
  );
}
