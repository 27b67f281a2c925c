// The navigation pane's view switcher beside the search box (XenCenter's Infrastructure,
// Objects, Tags, Folders, Saved searches): the same objects, grouped another way.
import { useTranslation } from 'react-i18next';
import { runCommand } from '../commands/runner';
import { NAV_VIEWS, useViewStore, viewActions, type NavView } from './view-store';

export function ViewSwitcher() {
  const { t } = useTranslation();
  const view = useViewStore((s) => s.view);
  const select = (
    <select
      className="view-switcher"
      aria-label={t('views.label')}
      title={t(`views.title.${view}`)}
      data-testid="view-switcher"
      value={view}
      onChange={(e) => viewActions.setView(e.target.value as NavView)}
    >
      {NAV_VIEWS.map((v) => (
        <option key={v} value={v} data-testid={`view-${v}`} title={t(`views.title.${v}`)}>
          {t(`views.name.${v}`)}
        </option>
      ))}
    </select>
  );
  if (view !== 'folders') return select;
  return (
    <>
      {select}
      {/* a compact button: the search box beside it keeps its room */}
      <button type="button" className="search-save" data-testid="new-folder" title={t('views.command.newFolder')} aria-label={t('views.command.newFolder')} onClick={() => runCommand('new-folder')}>
        +
      </button>
    </>
  );
}
