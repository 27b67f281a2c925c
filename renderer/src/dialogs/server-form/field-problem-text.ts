// A field problem (shared/descriptor.ts fieldProblem) in the user's language, naming the field.
import type { TFunction } from 'i18next';
import { localized, type ConnectionField, type FieldProblem } from '../../../../shared/descriptor';

export function fieldProblemText(t: TFunction, language: string, field: ConnectionField, label: string, problem: FieldProblem): string {
  switch (problem.code) {
    case 'required':
      return t('field.required', { field: label });
    case 'type':
      return problem.expected === 'integer' ? t('field.integer', { field: label }) : t('field.type', { field: label });
    case 'range':
      if (problem.min !== undefined && problem.max !== undefined) return t('field.range', { field: label, min: problem.min, max: problem.max });
      return problem.min !== undefined ? t('field.min', { field: label, min: problem.min }) : t('field.max', { field: label, max: problem.max });
    case 'tooLong':
      return t('field.tooLong', { field: label, max: problem.maxLength });
    case 'pattern':
      return field.hint ? t('field.patternHint', { field: label, hint: localized(field.hint, language) }) : t('field.pattern', { field: label });
    case 'choice':
      return t('field.choice', { field: label });
  }
}
