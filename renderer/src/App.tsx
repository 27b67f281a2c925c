// The main window: toolbar, banners, tree | details, tasks panel, status bar.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from './store/store';
import { start } from './store/requests';
import { resolveLanguage } from './i18n';
import { Toolbar } from './components/Toolbar';
import { Banners } from './components/Banners';
import { TreeView } from './components/TreeView';
import { DetailsPane } from './components/DetailsPane';
import { TasksPanel } from './components/TasksPanel';
import { StatusBar } from './components/StatusBar';
import { Toasts } from './components/Toasts';
import { Splitter } from './components/Splitter';
import { PANE_LIMITS, usePaneSizes } from './components/pane-sizes';
import './components/workspace.css';
import { ContextMenu } from './components/ContextMenu';
import { DialogHost } from './dialogs/DialogHost';
import { SchedulesView } from './schedules/SchedulesView';
import { NotificationsView } from './notifications/NotificationsView';
import { ImportFileInput } from './components/ImportFileInput';
import { getClient } from './client';
import { installKeyboardShortcuts } from './commands/keyboard';
import { listenToMenuCommands, syncNativeMenu } from './commands/native-menu';

function useSystemDark(): boolean {
  const query = '(prefers-color-scheme: dark)';
  const [dark, setDark] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const mql = window.matchMedia(query);
    const onChange = () => setDark(mql.matches);
    mql.addEventListener('change', onChange);
    return () => mql.removeEventListener('change', onChange);
  }, []);
  return dark;
}

function useThemeAndLanguage(): void {
  const { i18n } = useTranslation();
  const settings = useStore((s) => s.settings);
  const systemDark = useSystemDark();
  const theme = settings?.theme === 'dark' || settings?.theme === 'light' ? settings.theme : systemDark ? 'dark' : 'light';
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
  const language = resolveLanguage(settings?.language, navigator.language);
  useEffect(() => {
    if (i18n.language !== language) void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [language, i18n]);
  useEffect(() => {
    document.title = i18n.t('app.title');
  }, [language, i18n]);
}

/** The keyboard and the native menu run commands by id; the menu follows the registry while the app runs. */
function useCommandSurfaces(): void {
  useEffect(() => {
    const { client } = getClient();
    const stops = [installKeyboardShortcuts(), listenToMenuCommands(client), syncNativeMenu(client)];
    return () => stops.forEach((stop) => stop());
  }, []);
}

export function App() {
  useThemeAndLanguage();
  const { t } = useTranslation();
  const loaded = useStore((s) => s.info !== null);
  useEffect(() => {
    void start();
  }, []);
  useCommandSurfaces();
  const [sizes, resize] = usePaneSizes();
  const tasksOpen = useStore((s) => s.tasksOpen);
  const paneStyle = { '--tree-width': `${sizes.treeWidth}px`, '--tasks-height': `${sizes.tasksHeight}px` } as React.CSSProperties;
  return (
    <div className="app" data-testid="app" data-loaded={loaded} style={paneStyle}>
      <Toolbar />
      <Banners />
      <main className="workspace">
        <nav className="sidebar" aria-label={t('tree.label')}>
          <TreeView />
        </nav>
        <Splitter
          orientation="vertical"
          value={sizes.treeWidth}
          {...PANE_LIMITS.treeWidth}
          direction={1}
          label={t('layout.treeSplitter')}
          testId="tree-splitter"
          onResize={(v) => resize('treeWidth', v)}
        />
        <DetailsPane />
      </main>
      {tasksOpen ? (
        <Splitter
          orientation="horizontal"
          value={sizes.tasksHeight}
          {...PANE_LIMITS.tasksHeight}
          direction={-1}
          label={t('layout.tasksSplitter')}
          testId="tasks-splitter"
          onResize={(v) => resize('tasksHeight', v)}
        />
      ) : null}
      <TasksPanel />
      <Toasts />
      <StatusBar />
      <SchedulesView />
      <NotificationsView />
      <ContextMenu />
      <DialogHost />
      <ImportFileInput />
    </div>
  );
}
