// Edit tags, Move to folder, New folder, Rename folder and Save search (issue 16). Tags and folders go
// where each object's platform keeps them, or into the profile; a refusal names the object.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';
import type { LabelOutcome } from '../../../shared/labels';
import { FormDialog } from '../dialogs/FormDialog';
import { storeActions, useStore } from '../store/store';
import type { ViewsDialogState } from './dialog-state';
import { NewFolderDialog } from './NewFolderDialog';
import { labelsOf } from './labels';
import { useViewStore } from './view-store';
import { useTagsWhere } from './tags-where';
import { changeTags, moveToFolder, renameFolder, saveSearch } from './view-requests';

function useSubmit(send: () => Promise<LabelOutcome | unknown>) {
  const [busy, setBusy] = useState(false);
  const [failures, setFailures] = useState<string[]>([]);
  const submit = async () => {
    setBusy(true);
    setFailures([]);
    try {
      const outcome = await send();
      const failed = (outcome as LabelOutcome | undefined)?.failed ?? [];
      if (failed.length) setFailures(failed.map((f) => `${f.name}: ${f.error.message}`));
      else storeActions.closeDialog();
    } catch (e) {
      setFailures([(e as ErrorInfo).message]);
    } finally {
      setBusy(false);
    }
  };
  return { busy, failures, submit };
}

function Failures({ lines }: { lines: string[] }) {
  return lines.length ? (
    <ul className="views-failures" role="alert" data-testid="views-failures">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  ) : null;
}

function TagsDialog({ nodeIds }: { nodeIds: string[] }) {
  const { t, i18n } = useTranslation();
  const state = useStore.getState();
  const own = useViewStore((s) => s.ownLabels);
  const nodes = nodeIds.map((id) => state.index.nodes.get(id)).filter((n) => n !== undefined);
  const current = useMemo(() => [...new Set(nodes.flatMap((n) => labelsOf(n, own).tags))].sort(), [nodes, own]);
  const [removed, setRemoved] = useState<Set<string>>(new Set());
  const [typed, setTyped] = useState('');
  const add = typed.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
  const places = useTagsWhere(nodeIds);
  const where = [...new Set(nodes.map((n) => {
    const text = places.where?.[n.id];
    return text ? (i18n.language.startsWith('zh') ? text['zh-CN'] : text.en) : t('views.tags.ownWhere');
  }))];
  const { busy, failures, submit } = useSubmit(() => changeTags(nodeIds, { add, remove: [...removed] }));
  return (
    <FormDialog title={nodes.length === 1 ? t('views.tags.titleOne', { name: nodes[0]!.name }) : t('views.tags.titleMany', { count: nodes.length })} testId="edit-tags-dialog" submitLabel={t('common.save')} submitTestId="edit-tags-save" onSubmit={() => void submit()} busy={busy} submitDisabled={busy || (add.length === 0 && removed.size === 0)}>
      <div className="views-tag-list" data-testid="edit-tags-current">
        {current.length === 0 ? <p className="hint">{t('views.tags.none')}</p> : null}
        {current.map((tag) => (
          <label key={tag} className="views-tag">
            <input type="checkbox" checked={!removed.has(tag)} data-testid={`edit-tags-keep-${tag}`} onChange={(e) => setRemoved((r) => { const next = new Set(r); if (e.target.checked) next.delete(tag); else next.add(tag); return next; })} />
            {tag}
          </label>
        ))}
      </div>
      <label className="field">
        {t('views.tags.add')}
        <input type="text" value={typed} data-testid="edit-tags-add" data-autofocus placeholder={t('views.tags.addHint')} onChange={(e) => setTyped(e.target.value)} />
      </label>
      {places.where === null ? null : where.map((line) => (
        <p key={line} className="hint" data-testid="edit-tags-where">
          {line}
        </p>
      ))}
      <Failures lines={places.error ? [places.error, ...failures] : failures} />
    </FormDialog>
  );
}

function FolderDialog({ nodeIds }: { nodeIds: string[] }) {
  const { t } = useTranslation();
  const state = useStore.getState();
  const own = useViewStore((s) => s.ownLabels);
  const nodes = nodeIds.map((id) => state.index.nodes.get(id)).filter((n) => n !== undefined);
  const folders = useMemo(() => [...new Set([...state.index.nodes.values()].map((n) => labelsOf(n, own).folder).filter((f): f is string => !!f))].sort(), [state.index, own]);
  const [path, setPath] = useState(nodes.length === 1 ? (labelsOf(nodes[0]!, own).folder ?? '') : '');
  const target = path.trim() ? (path.trim().startsWith('/') ? path.trim() : `/${path.trim()}`) : null;
  const { busy, failures, submit } = useSubmit(() => moveToFolder(nodeIds, target));
  return (
    <FormDialog title={nodes.length === 1 ? t('views.folder.titleOne', { name: nodes[0]!.name }) : t('views.folder.titleMany', { count: nodes.length })} testId="move-folder-dialog" submitLabel={t('views.folder.move')} submitTestId="move-folder-save" onSubmit={() => void submit()} busy={busy} submitDisabled={busy}>
      <label className="field">
        {t('views.folder.path')}
        <input type="text" list="views-folders" value={path} data-testid="move-folder-path" data-autofocus placeholder={t('views.folder.placeholder')} onChange={(e) => setPath(e.target.value)} />
      </label>
      <datalist id="views-folders">
        {folders.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <p className="hint">{t('views.folder.hint')}</p>
      <Failures lines={failures} />
    </FormDialog>
  );
}

function RenameFolderDialog({ path }: { path: string }) {
  const { t } = useTranslation();
  const [to, setTo] = useState(path);
  const target = to.trim().startsWith('/') ? to.trim() : `/${to.trim()}`;
  const { busy, failures, submit } = useSubmit(() => renameFolder(path, target));
  return (
    <FormDialog title={t('views.renameFolder.title', { path })} testId="rename-folder-dialog" submitLabel={t('views.renameFolder.rename')} submitTestId="rename-folder-save" onSubmit={() => void submit()} busy={busy} submitDisabled={busy || !to.trim() || target === path}>
      <label className="field">
        {t('views.renameFolder.to')}
        <input type="text" value={to} data-testid="rename-folder-path" data-autofocus onChange={(e) => setTo(e.target.value)} />
      </label>
      <Failures lines={failures} />
    </FormDialog>
  );
}

function SaveSearchDialog({ query }: { query: string }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const { busy, failures, submit } = useSubmit(() => saveSearch({ name, query }));
  return (
    <FormDialog title={t('views.saveSearch.title')} testId="save-search-dialog" submitLabel={t('common.save')} submitTestId="save-search-save" onSubmit={() => void submit()} busy={busy} submitDisabled={busy || !name.trim()}>
      <label className="field">
        {t('views.saveSearch.name')}
        <input type="text" value={name} data-testid="save-search-name" data-autofocus onChange={(e) => setName(e.target.value)} />
      </label>
      <p className="hint">
        {t('views.saveSearch.query')} <code data-testid="save-search-query">{query}</code>
      </p>
      <Failures lines={failures} />
    </FormDialog>
  );
}

export function ViewsDialog({ state }: { state: ViewsDialogState }) {
  switch (state.kind) {
    case 'tags':
      return <TagsDialog nodeIds={state.nodeIds} />;
    case 'folder':
      return <FolderDialog nodeIds={state.nodeIds} />;
    case 'renameFolder':
      return <RenameFolderDialog path={state.path} />;
    case 'newFolder':
      return <NewFolderDialog parent={state.parent} />;
    case 'saveSearch':
      return <SaveSearchDialog query={state.query} />;
  }
}
