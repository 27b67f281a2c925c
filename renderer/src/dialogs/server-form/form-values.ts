// The add/edit-server form as data, drawn from the provider's descriptor: the
// starting values, which fields show, their problems, and the draft to save.
import type { ServerDraft, ServerView } from '../../../../shared/contract';
import {
  fieldProblem,
  fieldVisible,
  STANDARD_FIELDS,
  type ConnectionField,
  type FieldProblem,
  type FieldValue,
  type FieldValues,
  type ProviderDescriptor,
} from '../../../../shared/descriptor';

const isStandard = (key: string) => (STANDARD_FIELDS as readonly string[]).includes(key);

/** The form's text for a value: inputs hold strings, checkboxes booleans. */
function formValue(field: ConnectionField, value: FieldValue | undefined): FieldValue {
  if (field.type === 'boolean') return value === true || value === 'true';
  return value === undefined ? '' : String(value);
}

/** Defaults for a new server, or the saved values of the one being edited (never its password). */
export function initialValues(descriptor: ProviderDescriptor, editing?: ServerView): FieldValues {
  const values: FieldValues = {};
  for (const field of descriptor.fields) {
    if (field.key === 'password') values.password = '';
    else if (editing) values[field.key] = formValue(field, isStandard(field.key) ? editing[field.key as 'host' | 'port' | 'username'] : editing.options[field.key]);
    else values[field.key] = formValue(field, field.default);
  }
  return values;
}

/** Values for another provider: what the user typed carries over where the new form has the same field. */
export function carryOver(next: ProviderDescriptor, values: FieldValues, touched: ReadonlySet<string>): FieldValues {
  const fresh = initialValues(next);
  for (const key of touched) if (key in fresh) fresh[key] = values[key];
  return fresh;
}

/** The fields the dialog draws, in order: visible now and not tuning knobs. */
export function shownFields(descriptor: ProviderDescriptor, values: FieldValues): ConnectionField[] {
  return descriptor.fields.filter((f) => !f.advanced && fieldVisible(f, values, descriptor.fields));
}

function typed(field: ConnectionField, value: FieldValue | undefined): FieldValue | undefined {
  if (typeof value !== 'string') return value;
  const text = field.type === 'secret' ? value : value.trim();
  if (field.type === 'integer' && /^-?\d+$/.test(text)) return Number(text);
  return text;
}

/** Problems of the drawn fields, by key. */
export function formProblems(descriptor: ProviderDescriptor, values: FieldValues, editing?: ServerView): Map<string, FieldProblem> {
  const problems = new Map<string, FieldProblem>();
  for (const field of shownFields(descriptor, values)) {
    // an edited server keeps its stored password when the field is left empty
    if (field.key === 'password' && editing) continue;
    const problem = fieldProblem(field, typed(field, values[field.key]));
    if (problem) problems.set(field.key, problem);
  }
  return problems;
}

export interface DraftExtras {
  name: string;
  rememberPassword: boolean;
  autoConnect: boolean;
}

/**
 * The draft to save: drawn fields as typed; hidden ones take their `valueWhenHidden`
 * (or are left out); tuning knobs the dialog does not draw keep their saved values.
 */
export function buildDraft(descriptor: ProviderDescriptor, values: FieldValues, extras: DraftExtras, editing?: ServerView): ServerDraft {
  const shown = new Set(shownFields(descriptor, values).map((f) => f.key));
  const options: Record<string, FieldValue> = { ...(editing?.options ?? {}) };
  const draft: ServerDraft = { type: descriptor.type, host: '', username: '', rememberPassword: extras.rememberPassword, autoConnect: extras.autoConnect, options };
  for (const field of descriptor.fields) {
    if (field.advanced) continue;
    const value = shown.has(field.key) ? typed(field, values[field.key]) : field.valueWhenHidden;
    const empty = value === undefined || value === '';
    switch (field.key) {
      case 'host':
        draft.host = empty ? '' : String(value);
        break;
      case 'port':
        if (!empty) draft.port = Number(value);
        break;
      case 'username':
        draft.username = empty ? '' : String(value);
        break;
      case 'password':
        if (!empty) draft.password = String(value);
        break;
      default:
        if (empty) delete options[field.key];
        else options[field.key] = value;
    }
  }
  if (extras.name.trim()) draft.name = extras.name.trim();
  return draft;
}
