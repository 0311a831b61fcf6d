import { createContext, useContext, useEffect, useRef, type ReactNode, type RefObject } from 'react';
import { LocaleDefaultsContext, TranslatorScope, useLocaleTranslator, type LocaleProps } from './i18n.tsx';

/** Colour theme: `system` follows the user's operating system setting. */
export type Theme = 'light' | 'dark' | 'system';

/** Look and language props shared by the kit's top-level components. */
export interface AppearanceProps extends LocaleProps {
  /** Default: the provider's, else `light`. */
  theme?: Theme | undefined;
  /** Writing direction; default from the locale (`rtl` for Arabic). */
  dir?: 'ltr' | 'rtl' | undefined;
  /** Extra class on the root, for the host's layout. */
  className?: string | undefined;
}

const InsideRoot = createContext(false);

/** The warning a development build prints once when the kit's stylesheet is not on the page. */
export const STYLES_MISSING_WARNING =
  "airbyte-embed-kit: styles not found. Import 'airbyte-embed-kit/styles.css' once in your app (e.g. in your entry file or root layout: import 'airbyte-embed-kit/styles.css'), or serve node_modules/airbyte-embed-kit/dist/styles.css with a <link>. Without it the widget renders unstyled. (Shown in development only.)";

let stylesChecked = false;

/**
 * Development only: warns once per page when the kit's CSS is absent (a custom property the
 * stylesheet sets on `.aek-root` has no value). Checked once the page has loaded, so a stylesheet
 * still arriving with the page does not count as missing.
 */
function useStylesCheck(root: RefObject<HTMLDivElement | null>) {
  useEffect(() => {
    if (process.env.NODE_ENV === 'production' || stylesChecked) return;
    const check = () => {
      const el = root.current;
      if (stylesChecked || !el?.isConnected) return;
      stylesChecked = true;
      if (!getComputedStyle(el).getPropertyValue('--aek-font').trim()) console.warn(STYLES_MISSING_WARNING);
    };
    if (document.readyState === 'complete') {
      const timer = setTimeout(check, 0);
      return () => clearTimeout(timer);
    }
    window.addEventListener('load', check, { once: true });
    return () => window.removeEventListener('load', check);
  }, [root]);
}

type RootProps = AppearanceProps & { children: ReactNode; label?: string; data?: Record<`data-${string}`, string | undefined> };

function Root({ children, locale, messages, theme, dir, className, label, data }: RootProps) {
  const defaults = useContext(LocaleDefaultsContext);
  const tr = useLocaleTranslator({ locale, messages });
  const classes = ['aek-root', className].filter(Boolean).join(' ');
  const themeName = theme ?? defaults.theme ?? 'light';
  const ref = useRef<HTMLDivElement>(null);
  useStylesCheck(ref);
  if (!tr) return <div ref={ref} className={classes} data-theme={themeName} aria-busy="true" />;
  return (
    <div ref={ref} className={classes} data-theme={themeName} dir={dir ?? tr.dir} lang={tr.locale} aria-label={label} {...data}>
      <TranslatorScope translator={tr}>
        <InsideRoot.Provider value>{children}</InsideRoot.Provider>
      </TranslatorScope>
    </div>
  );
}

/**
 * The styled, translated root of a kit component: the `.aek-root` element that scopes the CSS
 * variables, theme (`data-theme`), direction and language. Nested kit components reuse their
 * ancestor's root. While a language's messages load it shows an empty, busy root. In development
 * it warns once ({@link STYLES_MISSING_WARNING}) when `airbyte-embed-kit/styles.css` is not loaded.
 */
export function WidgetRoot(props: RootProps) {
  const nested = useContext(InsideRoot);
  if (nested) return <>{props.children}</>;
  return <Root {...props} />;
}
