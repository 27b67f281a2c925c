// Add or edit a saved server. The form is the chosen provider's descriptor: its
// fields, labels, defaults, conditions and checks (shared/descriptor.ts); this
// dialog adds only the type, the display name and the connection preferences.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldLabel, formatDisplay, localized, type ConnectionField, type FieldValue, type FieldValues, type ProviderDescriptor } from '../../../shared/descriptor';
import type { ErrorInfo } from '../../../shared/errors';
import { ErrorDetails } from '../components/ErrorDetails';
import { descriptorOf, descriptorsOf } from '../providers/descriptors';
import { saveServer } from '../store/requests';
import { storeActions, useStore } from '../store/store';
import { Dialog } from './Dialog';
import { serverAtAddress } from '../tree/duplicates';
import { fieldProblemText } from './server-form/field-problem-text';
import { FieldInput } from './server-form/FieldInput';
import { buildDraft, carryOver, formProblems, initialValues, shownFields } from './server-form/form-values';

/** A field followed by an integer (the address and its port) shares its row. */
function rows(fields: ConnectionField[]): ConnectionField[][] {
  const out: ConnectionField[][] = [];
  for (const field of fields) {
    const last = out.at(-1);
    const pairs = last?.length === 1 && field.type === 'integer' && (last[0].type === 'text' || last[0].type === 'path');
    if (pairs) last.push(field);
    else out.push([field]);
  }
  return out;
}

export function AddServerDialog({ editId }: { editId?: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const providers = useStore((s) => descriptorsOf(s));
  const editing = useStore((s) => (editId ? s.servers.find((v) => v.id === editId) : undefined));
  const keychainAvailable = useStore((s) => s.info?.keychain.available ?? false);

  const [type, setType] = useState(editing?.type ?? providers[0]?.type ?? '');
  const descriptor = useStore((s) => descriptorOf(s, type));
  const [values, setValues] = useState<FieldValues>(() => (descriptor ? initialValues(descriptor, editing) : {}));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [name, setName] = useState(editing?.name ?? '');
  const [remember, setRemember] = useState(editing?.rememberPassword ?? keychainAvailable);
  const [autoConnect, setAutoConnect] = useState(editing?.autoConnect ?? true);
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [serverError, setServerError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  const fields = descriptor ? shownFields(descriptor, values) : [];
  const labelOf = (d: ProviderDescriptor, field: ConnectionField) => localized(fieldLabel(field, values, d.fields), language);

  const changeType = (next: string) => {
    const nextDescriptor = providers.find((p) => p.type === next);
    setType(next);
    setErrors(new Map());
    if (nextDescriptor) setValues(carryOver(nextDescriptor, values, touched));
  };

  const change = (key: string, value: FieldValue) => {
    setValues((v) => ({ ...v, [key]: value }));
    setTouched((s) => new Set(s).add(key));
    // a corrected field loses its message at once; the rest wait for the next submit
    setErrors((e) => {
      if (!e.has(key)) return e;
      const next = new Map(e);
      next.delete(key);
      return next;
    });
  };

  const submit = async () => {
    if (!descriptor || busy) return;
    const problems = formProblems(descriptor, values, editing);
    const messages = new Map<string, string>();
    for (const field of fields) {
      const problem = problems.get(field.key);
      if (problem) messages.set(field.key, fieldProblemText(t, language, field, labelOf(descriptor, field), problem));
    }
    setErrors(messages);
    if (messages.size) return;
    const passwordShown = fields.some((f) => f.key === 'password');
    const draft = buildDraft(descriptor, values, { name, rememberPassword: passwordShown && remember && keychainAvailable, autoConnect }, editing);
    setBusy(true);
    setServerError(null);
    try {
      await saveServer(draft, editId, !editId);
    } catch (err) {
      const error = err as ErrorInfo;
      setServerError(error);
      // the core names the field it refused: mark it where the user types (its words are above)
      const refused = fields.find((f) => f.key === error.field);
      if (refused) setErrors(new Map([[refused.key, t('field.refused', { field: labelOf(descriptor, refused) })]]));
    } finally {
      setBusy(false);
    }
  };

  const passwordShown = fields.some((f) => f.key === 'password');
  const address = descriptor ? formatDisplay(descriptor.display.address, values, descriptor.fields) : '';
  const sameAddress = useStore((s) => serverAtAddress(s.servers, type, address, descriptor, editId));
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
          <button type="submit" className="primary" data-testid="add-server-submit" disabled={busy || !descriptor}>
            {editId ? t('common.save') : t('addServer.add')}
          </button>
        </>
      }
    >
      {serverError ? <ErrorDetails error={serverError} /> : null}
      {sameAddress ? (
        <p className="form-warning" role="status" data-testid="add-server-same-address">
          {t('addServer.sameAddress', { name: sameAddress.name, address })}
        </p>
      ) : null}
      <div className="form-grid" data-testid="add-server-form" data-provider={type}>
        <label className="field">
          <span>{t('addServer.type')}</span>
          <select data-testid="add-server-type" value={type} disabled={Boolean(editId)} onChange={(e) => changeType(e.target.value)}>
            {providers.map((p) => (
              <option key={p.type} value={p.type}>
                {localized(p.displayName, language)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('addServer.name')}</span>
          <input data-testid="add-server-name" value={name} placeholder={t('addServer.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
        </label>
        {descriptor
          ? rows(fields).map((row) => (
              <div key={row.map((f) => f.key).join('+')} className={row.length > 1 ? 'field-row' : 'field-single'}>
                {row.map((field) => (
                  <FieldInput
                    key={field.key}
                    field={field}
                    label={labelOf(descriptor, field)}
                    value={values[field.key]}
                    language={language}
                    placeholder={field.key === 'password' && editing?.hasStoredPassword ? t('addServer.passwordUnchanged') : undefined}
                    error={errors.get(field.key)}
                    onChange={(value) => change(field.key, value)}
                  />
                ))}
              </div>
            ))
          : null}
        {passwordShown ? (
          <>
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
