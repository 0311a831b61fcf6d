import { en } from './en.ts';
import type { Messages } from './translator.ts';

/** The languages the kit ships. Any other locale uses English plus the host's `messages`. */
export const SUPPORTED_LOCALES = ['en', 'de', 'fr', 'es', 'ja', 'ar'] as const;
export type LocaleCode = (typeof SUPPORTED_LOCALES)[number];

// Each translation is its own chunk: a page loads only the language it shows.
const loaders: Record<Exclude<LocaleCode, 'en'>, () => Promise<Messages>> = {
  de: () => import('./de.ts').then((m) => m.de),
  fr: () => import('./fr.ts').then((m) => m.fr),
  es: () => import('./es.ts').then((m) => m.es),
  ja: () => import('./ja.ts').then((m) => m.ja),
  ar: () => import('./ar.ts').then((m) => m.ar),
};

/** The shipped catalog for a BCP 47 tag (`de-AT` → `de`), or undefined when there is none. */
export function matchLocale(locale: string | undefined): LocaleCode | undefined {
  const base = (locale ?? 'en').toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(base ?? '') ? (base as LocaleCode) : undefined;
}

const loaded = new Map<LocaleCode, Messages>([['en', en as Messages]]);
const pending = new Map<LocaleCode, Promise<Messages>>();

/** The catalog if it is already loaded (English always is). */
export function loadedMessages(code: LocaleCode): Messages | undefined {
  return loaded.get(code);
}

/**
 * Loads a shipped catalog once; the same promise is returned to every caller, so React's `use()`
 * can wait on it. Trap: a failed load is forgotten, so the next render tries again.
 */
export function loadMessages(code: LocaleCode): Promise<Messages> {
  const ready = loaded.get(code);
  if (ready) return Promise.resolve(ready);
  let promise = pending.get(code);
  if (!promise) {
    promise = loaders[code as Exclude<LocaleCode, 'en'>]().then(
      (messages) => {
        loaded.set(code, messages);
        pending.delete(code);
        return messages;
      },
      (error: unknown) => {
        pending.delete(code);
        throw error;
      },
    );
    pending.set(code, promise);
  }
  return promise;
}
