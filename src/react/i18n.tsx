import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from '../shared/i18n/en.ts';
import { loadedMessages, loadMessages, matchLocale } from '../shared/i18n/locales.ts';
import { createTranslator, type MessageOverrides, type Messages, type Translator } from '../shared/i18n/translator.ts';

/** Language props every component takes; the provider's apply when a component gives none. */
export interface LocaleProps {
  /**
   * BCP 47 tag. Shipped: en, de, fr, es, ja, ar (right-to-left). Other languages show English
   * unless `messages` gives every string. Default: the provider's, else `en`.
   */
  locale?: string | undefined;
  /** Any message, by key, replacing the shipped text (see `en` for the keys). */
  messages?: MessageOverrides | undefined;
}

const TranslatorContext = createContext<Translator | null>(null);
/** The provider's defaults for language and theme. */
export const LocaleDefaultsContext = createContext<LocaleProps & { theme?: 'light' | 'dark' | 'system' }>({});

/**
 * The translator for these props, or undefined while a shipped language's catalog chunk loads
 * (the first time it is needed; English is always there). Loading is an effect, not Suspense, so
 * server rendering and tests see a stable first render.
 */
export function useLocaleTranslator(props: LocaleProps): Translator | undefined {
  const defaults = useContext(LocaleDefaultsContext);
  const locale = props.locale ?? defaults.locale ?? 'en';
  const overrides = props.messages ?? defaults.messages;
  const code = matchLocale(locale);
  const [failed, setFailed] = useState<string | undefined>(undefined);
  const [, setLoaded] = useState(0);
  // A catalog that could not load (e.g. a stale deploy's chunk is gone) falls back to English.
  const catalog: Messages | undefined = code && failed !== code ? loadedMessages(code) : (en as Messages);
  useEffect(() => {
    if (!code || catalog) return;
    let live = true;
    loadMessages(code).then(
      () => live && setLoaded((n) => n + 1),
      (error: unknown) => {
        console.warn(`airbyte-embed-kit: could not load the "${code}" messages; showing English.`, error);
        if (live) setFailed(code);
      },
    );
    return () => {
      live = false;
    };
  }, [code, catalog]);
  // Hosts often pass `messages` inline: compare by content, not identity.
  const overridesKey = overrides ? JSON.stringify(overrides) : '';
  // The page's language is the text's: English unless the catalog (shipped, or every key from the
  // host) is in the requested one, so screen readers pick the right voice and direction.
  const complete = Boolean(overrides) && Object.keys(en).every((k) => (overrides as Record<string, unknown>)[k] !== undefined);
  const lang = (code && failed !== code) || complete ? locale : 'en';
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => catalog && createTranslator(lang, catalog, overrides), [lang, catalog, overridesKey]);
}

/** Makes `tr` the translator of everything below. */
export function TranslatorScope({ translator, children }: { translator: Translator; children: ReactNode }) {
  return <TranslatorContext.Provider value={translator}>{children}</TranslatorContext.Provider>;
}

let fallback: Translator | undefined;

/** The nearest translator; English outside any kit component. */
export function useTranslator(): Translator {
  const tr = useContext(TranslatorContext);
  if (tr) return tr;
  fallback ??= createTranslator('en');
  return fallback;
}
