import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import { I18nProvider as CloudscapeI18n } from "@cloudscape-design/components/i18n";
import cloudscapeEn from "@cloudscape-design/components/i18n/messages/all.en";
import cloudscapeTr from "@cloudscape-design/components/i18n/messages/all.tr";

import {
  formatDate,
  formatDateTime,
  formatDuration,
  formatHours,
  formatNumber,
  formatPercent,
  formatTime,
  label,
  translate,
  type Lang,
  type MessageKey,
  type Vars,
} from "./index";

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, vars?: Vars): string;
  label(prefix: string, value: string | null | undefined): string;
  dateTime(value: string | Date | null | undefined): string;
  date(value: string | Date | null | undefined): string;
  time(value: string | Date | null | undefined): string;
  duration(seconds: number | null | undefined): string;
  hours(hours: number): string;
  percent(rate: number | null | undefined): string;
  number(value: number | null | undefined): string;
}

const Context = createContext<I18n | null>(null);

/** The chosen language lives in memory only (the panel keeps nothing in the browser's storage). */
export function I18nProvider({ initial = "tr", children }: { initial?: Lang; children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initial);
  const setLang = useCallback((next: Lang) => setLangState(next), []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      label: (prefix, v) => label(lang, prefix, v),
      dateTime: (v) => formatDateTime(lang, v),
      date: (v) => formatDate(lang, v),
      time: (v) => formatTime(lang, v),
      duration: (s) => formatDuration(lang, s),
      hours: (h) => formatHours(lang, h),
      percent: (r) => formatPercent(lang, r),
      number: (v) => formatNumber(lang, v),
    }),
    [lang, setLang],
  );

  return (
    <Context.Provider value={value}>
      {/* Cloudscape's own strings (close buttons, pagination, …) in the same language. */}
      <CloudscapeI18n locale={lang} messages={[cloudscapeTr, cloudscapeEn]}>
        {children}
      </CloudscapeI18n>
    </Context.Provider>
  );
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
