// Properties, in the spirit of XenCenter's Properties dialog and Proxmox's Hardware and
// Options pages: General, CPU, Memory (the dynamic range slider), CD/DVD and Boot, each
// field as the platform declares it. Save runs one configure task and waits for it: a
// refusal stays in the dialog with the server's code in words (and Reload); settings that
// apply at the next boot are said after saving.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';
import type { GuestProperties, GuestSettingKey } from '../../../shared/guests';
import { ErrorDetails } from '../components/ErrorDetails';
import { Dialog } from '../dialogs/Dialog';
import { useSubmit } from '../dialogs/use-submit';
import { WizardSteps } from '../dialogs/WizardParts';
import { descriptorOf } from '../providers/descriptors';
import { storeActions, useStore } from '../store/store';
import { configureGuests, fetchProperties } from './guest-requests';
import { fieldState, guestKindOf, isRunning, rulesFor, settingLabel } from './guest-settings';
import { MemorySection } from './MemorySection';
import { changedKeys, changesOf, draftOf, propertiesProblems, type PropertiesDraft } from './properties-draft';
import { SECTION_KEYS, SECTIONS, type Section, type SectionProps } from './properties-section-props';
import { BootSection, CdSection, CpuSection, GeneralSection } from './PropertiesSections';
import { ServerRefusal } from './ServerRefusal';
import { whenFinished } from './task-watch';
import { useProblemWords } from './use-problem-words';
import './guests.css';

export function GuestPropertiesDialog({ nodeId, section: initial }: { nodeId: string; section?: Section }) {
  const { t, i18n } = useTranslation();
  const node = useStore((s) => s.index.nodes.get(nodeId));
  const facet = useStore((s) => descriptorOf(s, s.servers.find((v) => v.id === node?.serverId)?.type)?.facets.guests);
  const rules = useMemo(() => rulesFor(facet, guestKindOf(node ?? { kind: 'vm' })), [facet, node?.kind]);
  const running = isRunning(node);
  const [read, setRead] = useState<{ props: GuestProperties } | { error: ErrorInfo } | null>(null);
  const [draft, setDraft] = useState<PropertiesDraft | null>(null);
  const [section, setSection] = useState<Section>(initial ?? 'general');
  const [refusal, setRefusal] = useState<ErrorInfo | null>(null);
  const words = useProblemWords(rules);

  const load = useCallback(() => {
    setRead(null);
    setRefusal(null);
    void fetchProperties(nodeId).then((a) => {
      setRead(a.ok ? { props: a.value } : { error: a.error });
      if (a.ok) setDraft(draftOf(a.value));
    });
  }, [nodeId]);
  useEffect(load, [load]);

  const props = read && 'props' in read ? read.props : null;
  const problems = draft && props ? propertiesProblems(draft, rules, words, running ? props.vcpusMax : undefined, running ? props : undefined) : {};
  const state = (key: GuestSettingKey) => fieldState(t, rules.get(key), running, props?.hotAdd);
  const submission = useSubmit(async () => {
    if (!props || !draft) return;
    const changes = changesOf(props, draft, rules);
    if (Object.keys(changes).length === 0) return storeActions.closeDialog();
    const [task] = await configureGuests([nodeId], changes);
    const done = await whenFinished(task.id);
    if (done.status !== 'success') {
      setRefusal(done.error ?? { code: 'SERVER_ERROR', message: t('guests.props.failed') });
      return;
    }
    storeActions.closeDialog();
    // what the server says it saved for the next start, and what the platform's rules say of a running guest
    const later = [...new Set([...(done.nextBoot ?? []), ...changedKeys(changes).filter((key) => state(key).nextBoot)])];
    if (!later.length) return;
    // said again in the UI's language if it changes while the notice shows
    const say = (tr: TFunction) => ({ text: tr('guests.props.savedNextBoot', { name: props.name, settings: later.map((key) => settingLabel(tr, i18n.language, rules.get(key), `guests.setting.${key}`)).join(', ') }) });
    storeActions.report('info', say(t).text, undefined, say);
  });

  if (!node) return null;
  const sections = SECTIONS.filter((s) => SECTION_KEYS[s].some((key) => rules.has(key)));
  const active = sections.includes(section) ? section : sections[0];
  const change = (changes: Partial<PropertiesDraft>) => {
    submission.clearError();
    setRefusal(null);
    setDraft((d) => (d ? { ...d, ...changes } : d));
  };
  const label = (key: GuestSettingKey, fallback: string) => settingLabel(t, i18n.language, rules.get(key), fallback);
  const sectionProps: SectionProps | null = props && draft ? { props, draft, change, problems, rules, state, label } : null;
  const blocked = !sectionProps || Object.keys(problems).length > 0;
  return (
    <Dialog
      title={t('guests.props.title', { name: node.name })}
      testId="guest-properties-dialog"
      wide
      onCancel={storeActions.closeDialog}
      onSubmit={() => !blocked && submission.submit()}
      footer={
        <>
          {running ? <span className="hint guest-running-note">{t('guests.props.runningNote')}</span> : null}
          <span className="toolbar-fill" />
          <button type="button" data-testid="props-cancel" onClick={storeActions.closeDialog}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="props-save" disabled={blocked} aria-busy={submission.busy}>
            {submission.busy ? t('guests.props.saving') : t('common.save')}
          </button>
        </>
      }
    >
      <div className="wizard guest-props">
        <WizardSteps steps={sections} current={active} label={t('guests.props.sections')} name={(s) => t(`guests.props.section.${s}`)} onGo={setSection} testIdPrefix="props-section-" kind="page" />
        <div className="wizard-page" data-testid={`props-page-${active}`}>
          {read === null ? <p className="hint">{t('guests.props.reading')}</p> : null}
          {read && 'error' in read ? <ErrorDetails error={read.error} /> : null}
          {refusal ? <ServerRefusal error={refusal} onReload={load} /> : null}
          {submission.error ? <ServerRefusal error={submission.error} /> : null}
          {sectionProps && active === 'general' ? <GeneralSection {...sectionProps} /> : null}
          {sectionProps && active === 'cpu' ? <CpuSection {...sectionProps} /> : null}
          {sectionProps && active === 'memory' ? <MemorySection {...sectionProps} /> : null}
          {sectionProps && active === 'cd' ? <CdSection {...sectionProps} /> : null}
          {sectionProps && active === 'boot' ? <BootSection {...sectionProps} /> : null}
        </div>
      </div>
    </Dialog>
  );
}
