// Add or edit a saved server: type, address, port, credentials, per-type extras.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerDraft } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/errors';
import type { HypervisorType } from '../../../shared/model';
import { useStore, storeActions } from '../store/store';
import { saveServer } from '../store/commands';
import { ErrorDetails } from '../components/ErrorDetails';
import { Dialog } from './Dialog';

const FALLBACK_PORTS: Record<HypervisorType, number> = { xenserver: 443, proxmox: 8006, vsphere: 443, docker: 2376 };
const ALL_TYPES: HypervisorType[] = ['xenserver', 'proxmox', 'vsphere', 'docker'];

type FieldErrors = Partial<Record<'host' | 'port' | 'username' | 'socketPath', string>>;

export function AddServerDialog({ editId }: { editId?: string }) {
  const { t } = useTranslation();
  const info = useStore((s) => s.info);
  const editing = useStore((s) => (editId ? s.servers.find((v) => v.id === editId) : undefined));
  const types = useMemo(() => (info?.providers.length ? info.providers.map((p) => p.type) : ALL_TYPES), [info]);
  const defaultPort = (type: HypervisorType) => info?.providers.find((p) => p.type === type)?.defaultPort ?? FALLBACK_PORTS[type];
  const keychainAvailable = info?.keychain.available ?? false;
  const opt = (key: string) => String(editing?.options[key] ?? '');

  const [type, setType] = useState<HypervisorType>(editing?.type ?? types[0]);
  const [name, setName] = useState(editing?.name ?? '');
  const [host, setHost] = useState(editing?.host ?? '');
  const [port, setPort] = useState(String(editing?.port ?? defaultPort(editing?.type ?? types[0])));
  const [portTouched, setPortTouched] = useState(Boolean(editing));
  const [username, setUsername] = useState(editing?.username ?? 'root');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(editing?.rememberPassword ?? keychainAvailable);
  const [autoConnect, setAutoConnect] = useState(editing?.autoConnect ?? true);
  const [realm, setRealm] = useState(opt('realm') || 'pam');
  const [tokenId, setTokenId] = useState(opt('tokenId'));
  const [dockerMode, setDockerMode] = useState<'tcp' | 'socket'>(opt('socketPath') ? 'socket' : 'tcp');
  const [socketPath, setSocketPath] = useState(opt('socketPath') || '/var/run/docker.sock');
  const [certDir, setCertDir] = useState(opt('certDir'));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [serverError, setServerError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  // a corrected field loses its error at once; the rest wait for the next submit
  const clearError = (field: keyof FieldErrors) => setErrors((e) => (e[field] ? { ...e, [field]: undefined } : e));

  const changeType = (next: HypervisorType) => {
    setType(next);
    if (!portTouched) setPort(String(defaultPort(next)));
  };

  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    const socketMode = type === 'docker' && dockerMode === 'socket';
    if (!socketMode && !host.trim()) e.host = t('addServer.errorHostRequired');
    if (!socketMode) {
      const n = Number(port);
      if (!Number.isInteger(n) || n < 1 || n > 65535) e.port = t('addServer.errorPort');
    }
    if (socketMode && !socketPath.trim()) e.socketPath = t('addServer.errorSocketRequired');
    if (type !== 'docker' && !tokenId && !username.trim()) e.username = t('addServer.errorUserRequired');
    return e;
  };

  const submit = async () => {
    const e = validate();
    setErrors(e);
    if (Object.keys(e).length) return;
    const options: Record<string, string | number | boolean> = {};
    if (type === 'proxmox') {
      options.realm = realm.trim() || 'pam';
      if (tokenId.trim()) options.tokenId = tokenId.trim();
    }
    const socketMode = type === 'docker' && dockerMode === 'socket';
    if (type === 'docker') {
      if (socketMode) options.socketPath = socketPath.trim();
      else if (certDir.trim()) options.certDir = certDir.trim();
    }
    const draft: ServerDraft = {
      type,
      host: socketMode ? 'localhost' : host.trim(),
      port: socketMode ? defaultPort('docker') : Number(port),
      // Docker has no user name (socket or TLS client certificate): none, so no password is asked for
      username: type === 'docker' ? '' : username.trim(),
      rememberPassword: remember && keychainAvailable,
      autoConnect,
      options,
    };
    if (name.trim()) draft.name = name.trim();
    if (password) draft.password = password;
    setBusy(true);
    setServerError(null);
    try {
      await saveServer(draft, editId, !editId);
    } catch (err) {
      setServerError(err as ErrorInfo);
    } finally {
      setBusy(false);
    }
  };

  const socketMode = type === 'docker' && dockerMode === 'socket';
  const needsCredentials = type !== 'docker';
  return (
    <Dialog
      title={editId ? t('addServer.editTitle') : t('addServer.title')}
      testId="add-server-dialog"
      wide
      onCancel={storeActions.closeDialog}
      onSubmit={() => void submit()}
      footer={
        <>
          <button type="button" data-testid="add-server-cancel" onClick={storeActions.closeDialog}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="add-server-submit" disabled={busy}>
            {editId ? t('common.save') : t('addServer.add')}
          </button>
        </>
      }
    >
      {serverError ? <ErrorDetails error={serverError} /> : null}
      <div className="form-grid">
        <label className="field">
          <span>{t('addServer.type')}</span>
          <select data-testid="add-server-type" value={type} disabled={Boolean(editId)} onChange={(e) => changeType(e.target.value as HypervisorType)}>
            {types.map((id) => (
              <option key={id} value={id}>
                {t(`serverType.${id}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('addServer.name')}</span>
          <input data-testid="add-server-name" value={name} placeholder={t('addServer.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
        </label>
        {type === 'docker' ? (
          <fieldset className="field radio-row">
            <legend>{t('addServer.dockerConnection')}</legend>
            <label className="checkbox">
              <input type="radio" name="docker-mode" checked={dockerMode === 'tcp'} onChange={() => setDockerMode('tcp')} />
              {t('addServer.dockerTcp')}
            </label>
            <label className="checkbox">
              <input type="radio" name="docker-mode" data-testid="add-server-docker-socket" checked={dockerMode === 'socket'} onChange={() => setDockerMode('socket')} />
              {t('addServer.dockerSocket')}
            </label>
          </fieldset>
        ) : null}
        {socketMode ? (
          <Field label={t('addServer.socketPath')} error={errors.socketPath}>
            <input data-testid="add-server-socket" value={socketPath} onChange={(e) => {
              setSocketPath(e.target.value);
              clearError('socketPath');
            }} />
          </Field>
        ) : (
          <div className="field-row">
            <Field label={t('addServer.address')} error={errors.host} grow>
              <input data-testid="add-server-host" value={host} placeholder={t('addServer.addressPlaceholder')} onChange={(e) => {
                  setHost(e.target.value);
                  clearError('host');
                }} />
            </Field>
            <Field label={t('addServer.port')} error={errors.port}>
              <input
                data-testid="add-server-port"
                inputMode="numeric"
                className="port-input"
                value={port}
                onChange={(e) => {
                  setPort(e.target.value);
                  setPortTouched(true);
                  clearError('port');
                }}
              />
            </Field>
          </div>
        )}
        {type === 'docker' && !socketMode ? (
          <Field label={t('addServer.certDir')}>
            <input data-testid="add-server-certdir" value={certDir} placeholder={t('addServer.certDirPlaceholder')} onChange={(e) => setCertDir(e.target.value)} />
          </Field>
        ) : null}
        {needsCredentials ? (
          <>
            <Field label={t('addServer.user')} error={errors.username}>
              <input data-testid="add-server-user" autoComplete="username" value={username} onChange={(e) => {
                  setUsername(e.target.value);
                  clearError('username');
                }} />
            </Field>
            {type === 'proxmox' ? (
              <div className="field-row">
                <Field label={t('addServer.realm')}>
                  <input data-testid="add-server-realm" value={realm} onChange={(e) => setRealm(e.target.value)} />
                </Field>
                <Field label={t('addServer.tokenId')} grow>
                  <input data-testid="add-server-token-id" value={tokenId} placeholder={t('addServer.tokenIdPlaceholder')} onChange={(e) => setTokenId(e.target.value)} />
                </Field>
              </div>
            ) : null}
            <Field label={type === 'proxmox' && tokenId ? t('addServer.tokenSecret') : t('addServer.password')}>
              <input
                type="password"
                data-testid="add-server-password"
                autoComplete="current-password"
                value={password}
                placeholder={editing?.hasStoredPassword ? t('addServer.passwordUnchanged') : ''}
                onChange={(e) => setPassword(e.target.value)}
              />
            </Field>
            <label className="checkbox">
              <input type="checkbox" data-testid="add-server-remember" checked={remember && keychainAvailable} disabled={!keychainAvailable} onChange={(e) => setRemember(e.target.checked)} />
              {t('addServer.rememberPassword')}
            </label>
            {!keychainAvailable ? <p className="hint" data-testid="add-server-keychain-hint">{t('addServer.keychainUnavailableHint')}</p> : null}
          </>
        ) : null}
        <label className="checkbox">
          <input type="checkbox" data-testid="add-server-autoconnect" checked={autoConnect} onChange={(e) => setAutoConnect(e.target.checked)} />
          {t('addServer.autoConnect')}
        </label>
      </div>
    </Dialog>
  );
}

function Field(props: { label: string; error?: string; grow?: boolean; children: React.ReactNode }) {
  return (
    <label className={`field${props.grow ? ' grow' : ''}${props.error ? ' invalid' : ''}`}>
      <span>{props.label}</span>
      {props.children}
      {props.error ? <span className="field-error" role="alert">{props.error}</span> : null}
    </label>
  );
}
