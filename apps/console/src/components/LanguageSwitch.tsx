import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { isLanguage, storeLanguage, type Language } from '../i18n/index.ts';

const NAMES: Record<Language, string> = { 'zh-CN': '中文', 'en-US': 'English' };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  return (
    <Select<Language>
      aria-label={t('app.language')}
      className="language-switch"
      size="small"
      value={current}
      style={{ width: 96 }}
      options={(Object.keys(NAMES) as Language[]).map((value) => ({ value, label: NAMES[value] }))}
      onChange={(language) => {
        storeLanguage(language);
        void i18n.changeLanguage(language);
      }}
    />
  );
}
