/**
 * The panel's one i18n module: Turkish first, English one switch away.
 *
 * Every label goes through `translate` (or the React hook `useI18n().t`) with a key of the Turkish
 * dictionary; the English dictionary is typed against it. Times are always shown in Europe/Istanbul,
 * whatever the browser's zone: the centre, its callers and its directive live there.
 */
import { en } from "./en";
import { tr, type MessageKey, type Messages } from "./tr";

export type Lang = "tr" | "en";
export type { MessageKey };
export type Vars = Record<string, string | number>;

export const LANGS: readonly Lang[] = ["tr", "en"];
export const DICTIONARIES: Record<Lang, Messages> = { tr, en };
export const TIME_ZONE = "Europe/Istanbul";
const LOCALES: Record<Lang, string> = { tr: "tr-TR", en: "en-GB" };

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = DICTIONARIES[lang][key] ?? tr[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole,
  );
}

/** A label for a value from the API (a category, a status…): the value itself when the dictionary has none. */
export function label(lang: Lang, prefix: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return translate(lang, "common.none");
  const key = `${prefix}.${value}` as MessageKey;
  return key in tr ? translate(lang, key) : value;
}

const dateTimeFormats = new Map<Lang, Intl.DateTimeFormat>();
const dateFormats = new Map<Lang, Intl.DateTimeFormat>();
const timeFormats = new Map<Lang, Intl.DateTimeFormat>();

function cached(map: Map<Lang, Intl.DateTimeFormat>, lang: Lang, options: Intl.DateTimeFormatOptions) {
  let format = map.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], { ...options, timeZone: TIME_ZONE });
    map.set(lang, format);
  }
  return format;
}

function parse(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "14.10.2026 10:05" in Istanbul time. */
export function formatDateTime(lang: Lang, value: string | Date | null | undefined): string {
  const date = parse(value);
  if (!date) return translate(lang, "common.none");
  return cached(dateTimeFormats, lang, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(date);
}

export function formatDate(lang: Lang, value: string | Date | null | undefined): string {
  const date = parse(value);
  if (!date) return translate(lang, "common.none");
  return cached(dateFormats, lang, { year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

export function formatTime(lang: Lang, value: string | Date | null | undefined): string {
  const date = parse(value);
  if (!date) return translate(lang, "common.none");
  return cached(timeFormats, lang, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(
    date,
  );
}

/** A wait or a duration: "45 sn", "2 dk 05 sn", "1 sa 03 dk". */
export function formatDuration(lang: Lang, seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return translate(lang, "common.none");
  }
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (h > 0) return translate(lang, "duration.hours", { h, m: pad(m) });
  if (m > 0) return translate(lang, "duration.minutes", { m, s: pad(s) });
  return translate(lang, "duration.seconds", { s });
}

export function formatHours(lang: Lang, hours: number): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 1 }).format(hours);
}

const percentFormats = new Map<Lang, Intl.NumberFormat>();
const countFormats = new Map<Lang, Intl.NumberFormat>();

/** A rate (a fraction in [0, 1]) as a percentage with one decimal: "%94,3" in Turkish, "94.3%" in English. */
export function formatPercent(lang: Lang, rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return translate(lang, "common.none");
  let format = percentFormats.get(lang);
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[lang], { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
    percentFormats.set(lang, format);
  }
  return format.format(rate);
}

/** A count or an average: "1.204" in Turkish, "1,204" in English; one decimal at most. */
export function formatNumber(lang: Lang, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return translate(lang, "common.none");
  let format = countFormats.get(lang);
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 1 });
    countFormats.set(lang, format);
  }
  return format.format(value);
}

export function isLang(value: unknown): value is Lang {
  return value === "tr" || value === "en";
}
