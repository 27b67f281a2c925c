// The Console tab's viewers outside the window (issue 18): one button per viewer the
// platform has (greyed with the reason when this VM does not qualify), and the answer
// of the last attempt — opened, the link or file to use (web mode), or what to install.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProviderFacets } from '../../../shared/descriptor';
import type { InventoryNode } from '../../../shared/model';
import { CommandBar } from '../components/CommandBar';
import type { LayoutItem } from '../commands/layouts';
import { ConsoleError } from './ConsoleError';
import { fileHref, useViewerOutcomes, type ViewerOutcome } from './external-viewers';

export function ExternalViewers({ node, facets }: { node: InventoryNode; facets: ProviderFacets | undefined }) {
  const viewers = node.kind === 'vm' ? (facets?.externalViewers ?? []) : [];
  const layout = useMemo<LayoutItem[]>(() => viewers.map((v) => ({ id: `open-${v}`, testId: `viewer-${v}` })), [viewers.join(',')]);
  const scope = useMemo(() => ({ keys: [node.id] }), [node.id]);
  const outcome = useViewerOutcomes((s) => s.byNode[node.id]);
  if (!viewers.length) return null;
  return (
    <div className="console-viewers" data-testid="console-viewers">
      <div className="subtoolbar" role="toolbar">
        <CommandBar layout={layout} testIdPrefix="viewer-" scope={scope} />
      </div>
      {outcome ? <ViewerAnswer outcome={outcome} /> : null}
    </div>
  );
}

function ViewerAnswer({ outcome }: { outcome: ViewerOutcome }) {
  const { t } = useTranslation();
  const { viewer, answer, error } = outcome;
  const name = t(`console.external.name.${viewer}`);
  if (error) {
    return (
      <div className="console-message" data-testid="viewer-error">
        <ConsoleError error={error} />
      </div>
    );
  }
  if (!answer) return null;
  if (answer.handlerMissing) {
    return (
      <div className="console-message hint" data-testid="viewer-missing" data-viewer={viewer}>
        <p>{t('console.external.missing', { name })}</p>
        <p className="console-install">{t(`console.external.install.${viewer}`)}</p>
      </div>
    );
  }
  return (
    <div className="console-message hint" data-testid="viewer-answer" data-viewer={viewer}>
      {answer.opened ? <p data-testid="viewer-opened">{t('console.external.opened', { name })}</p> : null}
      {answer.link ? (
        <a href={answer.link} data-testid="viewer-link">
          {t('console.external.openLink', { name })}
        </a>
      ) : null}
      {answer.file ? (
        <a href={fileHref(answer.file)} download={answer.file.name} data-testid="viewer-file">
          {t('console.external.downloadFile', { file: answer.file.name })}
        </a>
      ) : null}
      {!answer.opened ? <p className="console-install">{t(`console.external.install.${viewer}`)}</p> : null}
    </div>
  );
}
