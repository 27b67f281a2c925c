// i18next set up once; every user-visible string goes through t().
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';
import type { Settings } from '../../../shared/contract';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** 'system' follows the OS language (navigator.language); Chinese variants get zh-CN, everything else English. */
export function resolveLanguage(setting: Settings['language'] | undefined, systemLanguage: string): Language {
  if (setting === 'en' || setting === 'zh-CN') return setting;
  return systemLanguage.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng: resolveLanguage('system', typeof navigator === 'undefined' ? 'en' : navigator.language),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
