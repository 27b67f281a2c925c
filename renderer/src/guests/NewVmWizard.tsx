// New VM…, in the spirit of XenCenter's NewVMWizard and Proxmox's Create VM: server,
// template, name, CPU and memory, disks, networks, install media, home server, then a
// summary. Everything offered comes from the server's createOptions and the platform's
// declared settings. Each page is checked before Next; Finish starts the create task,
// and the new VM is selected in the tree when the task succeeds.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreateOptions, TemplateChoice } from '../../../shared/guests';
import { ErrorDetails } from '../components/ErrorDetails';
import { Dialog } from '../dialogs/Dialog';
import { useSubmit } from '../dialogs/use-submit';
import { WizardFooter, WizardSteps } from '../dialogs/WizardParts';
import type { Answer } from '../migration/migration-requests';
import { descriptorOf } from '../providers/descriptors';
import { storeActions, useStore } from '../store/store';
import { createGuest, fetchCreateOptions } from './guest-requests';
import { rulesFor } from './guest-settings';
import { revealWhenPresent, whenFinished } from './task-watch';
import { useFieldLabels } from './use-field-labels';
import { NamePage, ServerPage, TemplatePage, useServerChoices } from './WizardChoosePages';
import { FinishPage, HostPage, InstallPage } from './WizardFinishPages';
import { DisksPage, NetworksPage, ResourcesPage } from './WizardHardwarePages';
import { draftProblems, emptyDraft, problemsOfStep, specOf, stepOfField, WIZARD_STEPS, withTemplate, type WizardDraft, type WizardField, type WizardStep } from './wizard-draft';
import type { PageProps } from './wizard-page-props';
import './guests.css';

export function NewVmWizard(props: { serverId?: string; templateNodeId?: string }) {
  const { t } = useTranslation();
  const choices = useServerChoices();
  const firstServer = props.serverId ?? (choices.filter((c) => !c.reason).length === 1 ? choices.find((c) => !c.reason)!.id : null);
  const [draft, setDraft] = useState<WizardDraft>(() => emptyDraft(firstServer));
  const [step, setStep] = useState<WizardStep>(props.serverId ? 'template' : 'server');
  const [shown, setShown] = useState<ReadonlySet<WizardStep>>(new Set());
  const [answer, setAnswer] = useState<Answer<CreateOptions> | null>(null);
  const serverType = useStore((s) => s.servers.find((v) => v.id === draft.serverId)?.type);
  const facet = useStore((s) => descriptorOf(s, serverType)?.facets.guests);
  const options = answer?.ok ? answer.value : null;
  const template = options?.templates.find((tpl) => tpl.id === draft.templateId);
  const rules = useMemo(() => rulesFor(facet, template?.makes ?? 'vm'), [facet, template?.makes]);
  const label = useFieldLabels(rules);

  useEffect(() => {
    if (!draft.serverId) return;
    let live = true;
    setAnswer(null);
    void fetchCreateOptions(draft.serverId).then((a) => {
      if (!live) return;
      setAnswer(a);
      const preset = a.ok && props.templateNodeId ? a.value.templates.find((tpl) => tpl.nodeId === props.templateNodeId) : undefined;
      if (a.ok && preset) {
        setDraft((d) => withTemplate(d, preset, a.value));
        setStep('name');
      }
    });
    return () => {
      live = false;
    };
  }, [draft.serverId, props.templateNodeId]);

  const containerFields = facet?.images === true;
  const problems = draftProblems(draft, { t, options, template, rules, label, containerFields, customization: facet?.customization });
  const visible = Object.fromEntries(Object.entries(problems).filter(([field]) => shown.has(stepOfField(field as WizardField)))) as typeof problems;
  const submission = useSubmit(async () => {
    if (!draft.serverId || !template) return;
    const task = await createGuest(draft.serverId, specOf(draft, rules, template, containerFields, facet?.customization));
    storeActions.closeDialog();
    void whenFinished(task.id).then((done) => {
      if (done.status === 'success' && done.resultId) revealWhenPresent(done.resultId);
    });
  });

  const at = WIZARD_STEPS.indexOf(step);
  const last = step === 'finish';
  const change = (changes: Partial<WizardDraft>) => {
    submission.clearError();
    setDraft((d) => ({ ...d, ...changes }));
  };
  const next = () => {
    setShown(new Set([...shown, step]));
    if (problemsOfStep(problems, step).length === 0) setStep(WIZARD_STEPS[at + 1]);
  };
  const finish = () => {
    setShown(new Set(WIZARD_STEPS));
    const first = WIZARD_STEPS.find((s) => problemsOfStep(problems, s).length > 0);
    if (first) setStep(first);
    else submission.submit();
  };
  const onServer = (serverId: string) => setDraft({ ...emptyDraft(serverId), name: draft.name, description: draft.description });
  const onTemplate = (tpl: TemplateChoice) => options && setDraft((d) => withTemplate(d, tpl, options));
  const pageProps: PageProps = { draft, change, problems: visible, options, template, rules, label, containerFields, customization: facet?.customization };
  // pages after the template wait for the server's options
  const waiting = at > 1 && !options;

  return (
    <Dialog
      title={t('guests.wizard.title')}
      testId="new-vm-wizard"
      wide
      onCancel={storeActions.closeDialog}
      onSubmit={last ? finish : next}
      footer={<WizardFooter first={at === 0} last={last} onBack={() => setStep(WIZARD_STEPS[at - 1])} finishLabel={t('guests.wizard.create')} busy={submission.busy} disabled={waiting} />}
    >
      <div className="wizard guest-wizard">
        <WizardSteps
          steps={WIZARD_STEPS}
          current={step}
          label={t('policyWizard.stepsLabel')}
          name={(s) => t(`guests.wizard.step.${s}`)}
          invalid={(s) => shown.has(s) && problemsOfStep(problems, s).length > 0}
          onGo={(s) => {
            setShown(new Set([...shown, step]));
            setStep(s);
          }}
        />
        <div className="wizard-page" data-testid={`wizard-page-${step}`}>
          {submission.error ? <ErrorDetails error={submission.error} /> : null}
          {answer && !answer.ok && step !== 'server' ? <ErrorDetails error={answer.error} /> : null}
          {waiting && !answer ? <p className="hint">{t('guests.wizard.loading')}</p> : null}
          {step === 'server' ? <ServerPage {...pageProps} onServer={onServer} /> : null}
          {step === 'template' ? <TemplatePage {...pageProps} onTemplate={onTemplate} /> : null}
          {step === 'name' ? <NamePage {...pageProps} /> : null}
          {step === 'resources' && options ? <ResourcesPage {...pageProps} /> : null}
          {step === 'disks' ? <DisksPage {...pageProps} /> : null}
          {step === 'networks' ? <NetworksPage {...pageProps} /> : null}
          {step === 'install' ? <InstallPage {...pageProps} /> : null}
          {step === 'host' ? <HostPage {...pageProps} /> : null}
          {step === 'finish' ? <FinishPage {...pageProps} /> : null}
        </div>
      </div>
    </Dialog>
  );
}
