import { en } from './en.ts';

/** Every message key the kit uses. */
export type MessageKey = keyof typeof en;

/** Plural forms, chosen by `{count}` with `Intl.PluralRules`; `other` is the fallback. */
export interface PluralForms {
  zero?: string | undefined;
  one?: string | undefined;
  two?: string | undefined;
  few?: string | undefined;
  many?: string | undefined;
  other: string;
}

/** A complete catalog: a translation must give every key (plural keys as {@link PluralForms}). */
export type Messages = { [K in MessageKey]: (typeof en)[K] extends string ? string : PluralForms };

/** What a host passes to change any message: a partial catalog. */
export type MessageOverrides = Partial<Messages>;

/** Values for `{placeholders}`; numbers are formatted for the locale. */
export type MessageValues = Record<string, string | number>;

/** Formats the kit's text, numbers and dates for one locale. Framework-free: the form, widget and server share it. */
export interface Translator {
  readonly locale: string;
  readonly dir: 'ltr' | 'rtl';
  t(key: MessageKey, values?: MessageValues): string;
  number(value: number): string;
  bytes(value: number): string;
  /** A UTC date and time with its zone, e.g. "Wed, Nov 26, 02:15 UTC". */
  dateTime(value: string | number): string;
  /** "in 4 hours", "5 minutes ago". */
  relative(value: string | number, now: number): string;
  /** An ISO 8601 duration (`PT1M4S`) in words ("1 min, 4 sec"). */
  duration(iso: string): string;
  /** "Monday and Wednesday", or with `or`: "text or a number". */
  list(items: string[], kind?: 'and' | 'or'): string;
  /** Day of week 0 (Sunday) to 6, in the locale's words. */
  weekday(day: number): string;
  /** A UTC time of day, e.g. "02:15". */
  time(hour: number, minute: number): string;
}

const RTL = new Set(['ar', 'he', 'fa', 'ur']);
/** Languages whose numbers use the digits 0–9 in every region (plain `ar` does too; `ar-EG` does not). */
const LATIN_DIGITS = new Set(['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'sv', 'da', 'nb', 'fi', 'pl', 'cs', 'tr', 'ja', 'zh', 'ko', 'he']);

/** Writing direction of a locale: right-to-left for Arabic, Hebrew, Persian and Urdu. */
export function directionOf(locale: string): 'ltr' | 'rtl' {
  return RTL.has(locale.toLowerCase().split(/[-_]/)[0]!) ? 'rtl' : 'ltr';
}

function fill(template: string, values: MessageValues, number: (n: number) => string): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? number(v) : v;
  });
}

const toMs = (value: string | number) => (typeof value === 'number' ? value : Date.parse(value));

/** A value made on first use: Intl formatters cost milliseconds each to build, and most go unused. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/**
 * A translator for `locale` over a complete catalog plus the host's overrides. Each Intl
 * formatter is built the first time it is needed, then reused.
 */
export function createTranslator(locale: string, messages: Messages = en as Messages, overrides: MessageOverrides = {}): Translator {
  const plural = lazy(() => new Intl.PluralRules(locale));
  const numberFormat = lazy(() => new Intl.NumberFormat(locale));
  const dateTimeFormat = lazy(() => new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC', timeZoneName: 'short' }));
  const timeFormat = lazy(() => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }));
  const weekdayFormat = lazy(() => new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }));
  const relativeFormat = lazy(() => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  const andList = lazy(() => new Intl.ListFormat(locale, { type: 'conjunction' }));
  const orList = lazy(() => new Intl.ListFormat(locale, { type: 'disjunction' }));
  const unitList = lazy(() => new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' }));
  const unitFormats = new Map<string, Intl.NumberFormat>();
  const unit = (name: string, value: number, digits = 0) => {
    const key = `${name}:${digits}`;
    let f = unitFormats.get(key);
    if (!f) {
      f = new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: digits });
      unitFormats.set(key, f);
    }
    return f.format(value);
  };
  // The first Intl.NumberFormat of a page costs ~50 ms (ICU's number data): a small whole number
  // in a language written with Latin digits ("Optional fields (3)") is the same without it.
  const latinDigits = locale.toLowerCase() === 'ar' || LATIN_DIGITS.has(locale.toLowerCase().split(/[-_]/)[0]!);
  const number = (n: number) => (latinDigits && Number.isInteger(n) && Math.abs(n) < 1000 ? String(n) : numberFormat().format(n));

  return {
    locale,
    dir: directionOf(locale),
    t(key, values = {}) {
      const message: string | PluralForms | undefined = overrides[key] ?? messages[key] ?? (en as Messages)[key];
      if (message === undefined) return key;
      if (typeof message === 'string') return message.includes('{') ? fill(message, values, number) : message;
      const count = Number(values.count ?? 0);
      const form = (message as unknown as Record<string, string | undefined>)[plural().select(count)] ?? message.other;
      return fill(form, values, number);
    },
    number,
    bytes(value) {
      const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'];
      let v = value;
      let i = 0;
      while (v >= 1000 && i < units.length - 1) {
        v /= 1000;
        i++;
      }
      return unit(units[i]!, v, i === 0 ? 0 : 1);
    },
    dateTime: (value) => dateTimeFormat().format(toMs(value)),
    relative(value, now) {
      const seconds = Math.round((toMs(value) - now) / 1000);
      const abs = Math.abs(seconds);
      if (abs < 60) return relativeFormat().format(seconds, 'second');
      if (abs < 3600) return relativeFormat().format(Math.round(seconds / 60), 'minute');
      if (abs < 86_400) return relativeFormat().format(Math.round(seconds / 3600), 'hour');
      return relativeFormat().format(Math.round(seconds / 86_400), 'day');
    },
    duration(iso) {
      const m = /^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso);
      if (!m) return iso;
      const parts: string[] = [];
      const [, d, h, min, s] = m;
      if (d) parts.push(unit('day', Number(d)));
      if (h) parts.push(unit('hour', Number(h)));
      if (min) parts.push(unit('minute', Number(min)));
      if (s || !parts.length) parts.push(unit('second', Math.round(Number(s ?? 0))));
      return unitList().format(parts);
    },
    list: (items, kind = 'and') => (kind === 'or' ? orList() : andList()).format(items),
    // 2023-01-01 was a Sunday.
    weekday: (day) => weekdayFormat().format(Date.UTC(2023, 0, 1 + day)),
    time: (hour, minute) => timeFormat().format(Date.UTC(2000, 0, 1, hour, minute)),
  };
}

let english: Translator | undefined;

/** The English translator, made on first use (the server's validation messages use it). */
export function englishTranslator(): Translator {
  english ??= createTranslator('en');
  return english;
}
