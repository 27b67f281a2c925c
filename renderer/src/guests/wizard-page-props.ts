// What every page of the New VM wizard gets: the draft, a way to change it, the
// problems to show, the server's options and the chosen template's rules.
import type { CreateOptions, CustomizationFacet, GuestSettingKey, GuestSettingRule, TemplateChoice } from '../../../shared/guests';
import type { WizardDraft, WizardField, WizardProblems } from './wizard-draft';

export interface PageProps {
  draft: WizardDraft;
  change(changes: Partial<WizardDraft>): void;
  problems: WizardProblems;
  options: CreateOptions | null;
  template: TemplateChoice | undefined;
  rules: Map<GuestSettingKey, GuestSettingRule>;
  /** the platform makes containers from images: the install page asks for the container's fields */
  containerFields: boolean;
  /** the platform's customization facet (absent: cloud-init's fields) */
  customization?: CustomizationFacet;
  /** a field's label as the pages show it (the platform's word where its descriptor gives one) */
  label(field: WizardField | 'description' | 'dynamicRange'): string;
}
