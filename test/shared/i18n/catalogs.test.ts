import { describe, expect, it } from 'vitest';
import { ar } from '../../../src/shared/i18n/ar.ts';
import { de } from '../../../src/shared/i18n/de.ts';
import { en } from '../../../src/shared/i18n/en.ts';
import { es } from '../../../src/shared/i18n/es.ts';
import { fr } from '../../../src/shared/i18n/fr.ts';
import { ja } from '../../../src/shared/i18n/ja.ts';
import { loadMessages, matchLocale, SUPPORTED_LOCALES } from '../../../src/shared/i18n/locales.ts';
import { createTranslator, directionOf, type Messages } from '../../../src/shared/i18n/translator.ts';

const catalogs = { de, fr, es, ja, ar } as Record<string, Messages>;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const forms = (m: unknown) => (typeof m === 'string' ? [m] : Object.values(m as object));

describe('message catalogs', () => {
  for (const [code, catalog] of Object.entries(catalogs)) {
    it(`${code}: every English key, translated, with the same placeholders`, () => {
      expect(Object.keys(catalog)).toEqual(Object.keys(en));
      for (const [key, english] of Object.entries(en)) {
        const translated = (catalog as Record<string, unknown>)[key];
        const wanted = new Set(forms(english).flatMap(placeholders));
        for (const text of forms(translated)) {
          expect(typeof text, key).toBe('string');
          // Every placeholder used exists in English (a typo would print "{nmae}").
          for (const p of placeholders(text as string)) expect(wanted.has(p), `${code} ${key}: {${p}}`).toBe(true);
        }
        if (typeof english === 'string') expect(placeholders(translated as string), `${code} ${key}`).toEqual(placeholders(english));
        else expect(placeholders((translated as { other: string }).other), `${code} ${key}`).toEqual(placeholders((english as { other: string }).other));
      }
    });
  }

  it('loads each shipped language by its BCP 47 tag', async () => {
    expect(SUPPORTED_LOCALES).toEqual(['en', 'de', 'fr', 'es', 'ja', 'ar']);
    expect([matchLocale('de-AT'), matchLocale('pt-BR'), matchLocale('JA')]).toEqual(['de', undefined, 'ja']);
    expect(await loadMessages('fr')).toBe(fr);
  });

  it('chooses plural forms by the language’s rules and formats numbers for it', () => {
    const tr = createTranslator('ar', ar);
    const forms = [0, 1, 2, 5, 11, 100].map((count) => tr.t('catalog.count', { count }));
    expect(new Set(forms).size).toBe(6);
    expect(createTranslator('de', de).t('job.progress', { count: 1200, rows: 1200, bytes: '1 kB' })).toContain('1.200');
    expect(createTranslator('en').t('catalog.count', { count: 1 })).toBe('1 connector');
  });

  it('writes Arabic right to left', () => {
    expect([directionOf('ar'), directionOf('ar-EG'), directionOf('he'), directionOf('de')]).toEqual(['rtl', 'rtl', 'rtl', 'ltr']);
  });

  it('lets a host override any message, also plural ones', () => {
    const tr = createTranslator('en', en as Messages, { 'catalog.title': 'Plug in', 'catalog.count': { one: 'one tool', other: '{count} tools' } });
    expect(tr.t('catalog.title')).toBe('Plug in');
    expect([tr.t('catalog.count', { count: 1 }), tr.t('catalog.count', { count: 3 })]).toEqual(['one tool', '3 tools']);
  });

  it('formats bytes, durations and relative times for the locale', () => {
    const tr = createTranslator('en');
    expect([tr.bytes(512), tr.bytes(219_100), tr.bytes(5_300_000)]).toEqual(['512 byte', '219.1 kB', '5.3 MB']);
    expect(tr.duration('PT1M4S')).toBe('1 min 4 sec');
    expect(tr.relative(Date.parse('2026-01-01T00:05:00Z'), Date.parse('2026-01-01T00:00:00Z'))).toBe('in 5 minutes');
  });
});
