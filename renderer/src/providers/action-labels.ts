// An action's name in the platform's own words (Docker: Stop, Restart, Kill) when
// every object it applies to is of that platform; the common name otherwise.
import type { TFunction } from 'i18next';
import { localized, type ProviderDescriptor } from '../../../shared/descriptor';
import type { ActionName } from '../../../shared/model';

export function actionLabel(t: TFunction, language: string, action: ActionName | string, descriptors: ReadonlyArray<ProviderDescriptor | undefined>): string {
  const first = descriptors[0];
  const sameFamily = first !== undefined && descriptors.every((d) => d?.type === first.type);
  const own = sameFamily ? first.actionLabels?.[action as ActionName] : undefined;
  return own ? localized(own, language) : t(`action.${action}`, { defaultValue: action });
}
