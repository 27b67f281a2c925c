// The New VM wizard's first pages: the server (only those whose platform makes VMs
// here), the template (its description; the ones that make containers marked), the name.
import { useTranslation } from 'react-i18next';
import { localized } from '../../../shared/descriptor';
import type { TemplateChoice } from '../../../shared/guests';
import { descriptorOf } from '../providers/descriptors';
import { useStore } from '../store/store';
import { GuestField } from './GuestField';
import type { PageProps } from './wizard-page-props';

/** The servers the wizard lists, each with why it cannot make a VM now (null: it can). */
export function useServerChoices(): Array<{ id: string; name: string; platform: string; reason: string | null }> {
  const { t, i18n } = useTranslation();
  const servers = useStore((s) => s.servers);
  const info = useStore((s) => s.info);
  return servers.map((server) => {
    const descriptor = descriptorOf({ info }, server.type);
    const platform = descriptor ? localized(descriptor.displayName, i18n.language) : server.type;
    const reason = !descriptor?.facets.guests?.create
      ? t('guests.reason.platformCannot', { platform })
      : server.state !== 'connected'
        ? t('reason.serverDisconnected', { name: server.name })
        : null;
    return { id: server.id, name: server.name, platform, reason };
  });
}

export function ServerPage({ draft, problems, onServer }: PageProps & { onServer: (serverId: string) => void }) {
  const { t } = useTranslation();
  const choices = useServerChoices();
  return (
    <fieldset className="field" role="radiogroup" aria-label={t('guests.wizard.step.server')}>
      <legend>{t('guests.wizard.serverIntro')}</legend>
      {choices.map((c) => (
        <label key={c.id} className={`radio guest-choice${c.reason ? ' refused' : ''}`} data-testid="wizard-server" data-server={c.name} title={c.reason ?? undefined}>
          <input type="radio" name="wizard-server" checked={draft.serverId === c.id} disabled={c.reason !== null} onChange={() => onServer(c.id)} />
          <span>{c.name}</span>
          <span className="hint">{c.reason ?? c.platform}</span>
        </label>
      ))}
      {problems.server ? <span className="field-error" role="alert">{problems.server}</span> : null}
      {draft.serverId === null && choices.every((c) => c.reason) ? <p className="hint">{t('guests.wizard.noServer')}</p> : null}
    </fieldset>
  );
}

export function TemplatePage({ draft, options, problems, onTemplate }: PageProps & { onTemplate: (template: TemplateChoice) => void }) {
  const { t } = useTranslation();
  if (!options) return <p className="hint">{t('guests.wizard.loading')}</p>;
  return (
    <fieldset className="field guest-templates" role="radiogroup" aria-label={t('guests.wizard.step.template')}>
      <legend>{t('guests.wizard.templateIntro')}</legend>
      {options.templates.length === 0 ? <p className="hint">{t('guests.wizard.noTemplates')}</p> : null}
      {options.templates.map((tpl) => (
        <label key={tpl.id} className="radio guest-choice" data-testid="wizard-template" data-template={tpl.name}>
          <input type="radio" name="wizard-template" checked={draft.templateId === tpl.id} onChange={() => onTemplate(tpl)} />
          <span className="guest-choice-text">
            <span>
              {tpl.name}
              {tpl.makes === 'container' ? <span className="badge">{t('guests.wizard.makesContainer')}</span> : null}
            </span>
            {tpl.description ? <span className="hint">{tpl.description}</span> : null}
          </span>
        </label>
      ))}
      {problems.template ? <span className="field-error" role="alert">{problems.template}</span> : null}
    </fieldset>
  );
}

export function NamePage({ draft, change, problems, label }: PageProps) {
  return (
    <div className="form-grid">
      <GuestField label={label('name')} testId="wizard-name" problem={problems.name}>
        <input type="text" data-testid="wizard-name" data-autofocus value={draft.name} onChange={(e) => change({ name: e.target.value })} />
      </GuestField>
      <GuestField label={label('description')} testId="wizard-description">
        <textarea data-testid="wizard-description" rows={3} value={draft.description} onChange={(e) => change({ description: e.target.value })} />
      </GuestField>
    </div>
  );
}
