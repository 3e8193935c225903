import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import enUS from './en-US.json';
import zhCN from './zh-CN.json';
import adminEnUS from '../features/admin/admin.en-US.json';
import adminZhCN from '../features/admin/admin.zh-CN.json';
import portalEnUS from '../features/portal/portal.en-US.json';
import portalZhCN from '../features/portal/portal.zh-CN.json';
import orderEnUS from '../features/order/order.en-US.json';
import orderZhCN from '../features/order/order.zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en-US'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'peakdesk.language';

export function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

/** zh-CN unless the user chose otherwise on this browser. */
export function initialLanguage(stored: string | null): Language {
  return isLanguage(stored) ? stored : 'zh-CN';
}

export function storeLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
}

export async function setUpI18n(): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    // Administration, the portal and the order panel keep their words beside their code (admin.*, portal.*,
    // order.* and aftersales.*).
    resources: {
      'zh-CN': { translation: { ...zhCN, ...adminZhCN, ...portalZhCN, ...orderZhCN } },
      'en-US': { translation: { ...enUS, ...adminEnUS, ...portalEnUS, ...orderEnUS } },
    },
    lng: initialLanguage(typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY)),
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
  });
  return i18next;
}
