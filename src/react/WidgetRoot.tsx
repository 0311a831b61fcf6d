import { createContext, useContext, type ReactNode } from 'react';
import { LocaleDefaultsContext, TranslatorScope, useLocaleTranslator, type LocaleProps } from './i18n.tsx';

/** Colour theme: `system` follows the user's operating system setting. */
export type Theme = 'light' | 'dark' | 'system';

/** Look and language props shared by the kit's top-level components. */
export interface AppearanceProps extends LocaleProps {
  /** Default: the provider's, else `light`. */
  theme?: Theme;
  /** Writing direction; default from the locale (`rtl` for Arabic). */
  dir?: 'ltr' | 'rtl';
  /** Extra class on the root, for the host's layout. */
  className?: string;
}

const InsideRoot = createContext(false);

type RootProps = AppearanceProps & { children: ReactNode; label?: string; data?: Record<`data-${string}`, string | undefined> };

function Root({ children, locale, messages, theme, dir, className, label, data }: RootProps) {
  const defaults = useContext(LocaleDefaultsContext);
  const tr = useLocaleTranslator({ locale, messages });
  const classes = ['aek-root', className].filter(Boolean).join(' ');
  const themeName = theme ?? defaults.theme ?? 'light';
  if (!tr) return <div className={classes} data-theme={themeName} aria-busy="true" />;
  return (
    <div className={classes} data-theme={themeName} dir={dir ?? tr.dir} lang={tr.locale} aria-label={label} {...data}>
      <TranslatorScope translator={tr}>
        <InsideRoot.Provider value>{children}</InsideRoot.Provider>
      </TranslatorScope>
    </div>
  );
}

/**
 * The styled, translated root of a kit component: the `.aek-root` element that scopes the CSS
 * variables, theme (`data-theme`), direction and language. Nested kit components reuse their
 * ancestor's root. While a language's messages load it shows an empty, busy root.
 */
export function WidgetRoot(props: RootProps) {
  const nested = useContext(InsideRoot);
  if (nested) return <>{props.children}</>;
  return <Root {...props} />;
}
