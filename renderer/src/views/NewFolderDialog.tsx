// New folder (XenCenter's New Folder dialog): a folder with nothing in it yet, kept on a
// server whose platform keeps folders (the descriptor's labels facet: XenServer keeps them in
// the pool's other_config EMPTY_FOLDERS, where XenCenter shows them) or in the profile.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';
import { FormDialog } from '../dialogs/FormDialog';
import { descriptorOf } from '../providers/descriptors';
import { storeActions, useStore } from '../store/store';
import { createFolder } from './view-requests';

const PROFILE = '';

export function NewFolderDialog({ parent }: { parent: string | null }) {
  const { t } = useTranslation();
  const state = useStore.getState();
  // connected servers that keep empty folders themselves
  const keepers = state.servers.filter((s) => s.state === 'connected' && descriptorOf(state, s.type)?.facets.labels?.emptyFolders);
  const [path, setPath] = useState(parent ? `${parent}/` : '/');
  const [where, setWhere] = useState(keepers[0]?.id ?? PROFILE);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const target = path.trim().startsWith('/') ? path.trim() : `/${path.trim()}`;
  const submit = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await createFolder(target, where === PROFILE ? null : where);
      storeActions.closeDialog();
    } catch (e) {
      setFailure((e as ErrorInfo).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormDialog title={t('views.newFolder.title')} testId="new-folder-dialog" submitLabel={t('views.newFolder.create')} submitTestId="new-folder-save" onSubmit={() => void submit()} busy={busy} submitDisabled={busy || target.replace(/\/+/g, '/') === '/'}>
      <label className="field">
        {t('views.folder.path')}
        <input type="text" value={path} data-testid="new-folder-path" data-autofocus placeholder={t('views.folder.placeholder')} onChange={(e) => setPath(e.target.value)} />
      </label>
      <label className="field">
        {t('views.newFolder.where')}
        <select value={where} data-testid="new-folder-where" onChange={(e) => setWhere(e.target.value)}>
          {keepers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
          <option value={PROFILE}>{t('views.newFolder.profile')}</option>
        </select>
      </label>
      <p className="hint">{t('views.newFolder.hint')}</p>
      {failure ? (
        <p className="views-failures" role="alert" data-testid="views-failures">
          {failure}
        </p>
      ) : null}
    </FormDialog>
  );
}
