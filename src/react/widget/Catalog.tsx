import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TemplateSummary } from '../../shared/contract.ts';
import { ErrorBanner } from '../ErrorBanner.tsx';
import { useTemplates, type HookOptions } from '../hooks.ts';
import { useTranslator } from '../i18n.tsx';

type Matcher = (template: TemplateSummary, query: string) => boolean;

/** Case- and accent-insensitive text ("Hubspot" finds "HubSpot", "credito" finds "Crédito"). */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** The search until the full one has loaded: every word of the query in the name. */
const byName: Matcher = (t, query) => fold(query).split(/\s+/).every((w) => fold(t.name).includes(w));

/**
 * The full search (catalogSearch.ts: categories and common names, "facebook ads" finds Facebook
 * Marketing), in its own chunk: its alias table is loaded beside the catalog's templates, so a
 * page that never shows the catalog never loads it.
 */
const loadSearch = () => import('../../shared/catalogSearch.ts').then((m): Matcher => m.matchesQuery);

/** Tiles shown under a search. */
export function filterTemplates(templates: TemplateSummary[], query: string, matches: Matcher = byName): TemplateSummary[] {
  return query.trim() ? templates.filter((t) => matches(t, query)) : templates;
}

/** A tile's stand-in while it has no icon: the name's first letter (a whole character, even outside the BMP). */
function tileLetter(name: string): string {
  return ([...name.trim()][0] ?? '?').toLocaleUpperCase();
}

/**
 * One of 12 colours per name (`data-hue`, 0–11), so letter tiles differ (four "S" connectors are not
 * four grey squares; the same connector has the same colour everywhere). An attribute, not an
 * inline style, so a host's strict `style-src` CSP allows it.
 */
function hueOf(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) % 9973;
  return h % 12;
}

/**
 * The tile's icon: the image, or the letter while there is none or when it fails to load (a
 * broken URL, a blocked host, a CSP without its host in `img-src`). `alt=""`: the tile's name is
 * its label. Loaded lazily (a catalog may have hundreds) and without a Referer, so the icon host
 * (Airbyte's registry, by default) does not learn which page embeds the widget.
 */
function TileIcon({ name, icon }: { name: string; icon?: string }) {
  const [failed, setFailed] = useState<string | undefined>(undefined);
  if (icon && failed !== icon) {
    return <img className="aek-tile-icon" data-icon="image" src={icon} alt="" loading="lazy" decoding="async" referrerPolicy="no-referrer" onError={() => setFailed(icon)} />;
  }
  return (
    <span className="aek-tile-icon aek-tile-icon--letter" data-icon={icon ? 'failed' : 'letter'} data-hue={hueOf(name)} aria-hidden="true">
      {tileLetter(name)}
    </span>
  );
}

export interface CatalogProps extends HookOptions {
  onPick: (template: TemplateSummary) => void;
  /** Called when the search settles (a pause in typing), for analytics: never the text itself (people paste keys and emails into search boxes). */
  onSearch?: ((queryLength: number, resultCount: number) => void) | undefined;
  onError?: ((error: Error) => void) | undefined;
}

/**
 * The customer's connectors as tiles with a search box that filters as you type. Keyboard: the
 * tiles are one tab stop; arrow keys move between them (by row with Up/Down), Home/End jump,
 * Enter picks; ArrowDown from the search box enters the tiles.
 */
export function Catalog({ onPick, onSearch, onError, client }: CatalogProps) {
  const tr = useTranslator();
  const templates = useTemplates({ client });
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  const searchId = useId();
  const hintId = useId();
  const [matcher, setMatcher] = useState<Matcher | undefined>(undefined);
  useEffect(() => {
    let live = true;
    loadSearch().then((m) => live && setMatcher(() => m), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  const shown = useMemo(() => filterTemplates(templates.data ?? [], query, matcher), [templates.data, query, matcher]);
  const reported = useRef<Error | null>(null);

  useEffect(() => {
    if (templates.error && reported.current !== templates.error) {
      reported.current = templates.error;
      onError?.(templates.error);
    }
  }, [templates.error, onError]);

  // Report a search once typing pauses, not on every keystroke.
  const latestSearch = useRef(onSearch);
  latestSearch.current = onSearch;
  useEffect(() => {
    if (!query.trim()) return;
    const timer = setTimeout(() => latestSearch.current?.(query.trim().length, shown.length), 500);
    return () => clearTimeout(timer);
  }, [query, shown.length]);

  if (templates.isPending) return <p className="aek-loading" role="status">{tr.t('catalog.loading')}</p>;
  if (templates.isError) return <ErrorBanner error={templates.error} onRetry={() => void templates.refetch()} />;
  if (!templates.data.length) {
    return (
      <div className="aek-empty" data-empty="catalog">
        <p className="aek-empty-title">{tr.t('catalog.empty')}</p>
        <p className="aek-muted">{tr.t('catalog.emptyHint')}</p>
      </div>
    );
  }

  const tiles = () => [...(list.current?.querySelectorAll<HTMLButtonElement>('.aek-tile') ?? [])];
  const focusTile = (index: number) => {
    const all = tiles();
    if (!all.length) return;
    const i = Math.max(0, Math.min(all.length - 1, index));
    setActive(i);
    all[i]!.focus();
  };
  const columns = () => {
    const all = tiles();
    const top = all[0]?.getBoundingClientRect().top;
    const n = all.filter((t) => t.getBoundingClientRect().top === top).length;
    return Math.max(1, n);
  };
  const rtl = () => list.current?.closest('[dir]')?.getAttribute('dir') === 'rtl';
  const onGridKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const current = tiles().indexOf(document.activeElement as HTMLButtonElement);
    if (current < 0) return;
    const forward = rtl() ? 'ArrowLeft' : 'ArrowRight';
    const back = rtl() ? 'ArrowRight' : 'ArrowLeft';
    const moves: Record<string, number> = { [forward]: current + 1, [back]: current - 1, ArrowDown: current + columns(), ArrowUp: current - columns(), Home: 0, End: tiles().length - 1 };
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    if (e.key === 'ArrowUp' && current < columns()) {
      document.getElementById(searchId)?.focus();
      return;
    }
    focusTile(target);
  };
  const activeIndex = Math.min(active, Math.max(0, shown.length - 1));

  return (
    <div className="aek-catalog-view">
      <div className="aek-search" data-search={matcher ? 'full' : 'names'}>
        <label className="aek-visually-hidden" htmlFor={searchId}>
          {tr.t('catalog.search')}
        </label>
        <input
          id={searchId}
          className="aek-input aek-search-input"
          type="search"
          placeholder={tr.t('catalog.search')}
          autoComplete="off"
          value={query}
          aria-describedby={hintId}
          aria-controls={shown.length ? `${searchId}-list` : undefined}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && shown.length) {
              e.preventDefault();
              focusTile(0);
            }
          }}
        />
        <p id={hintId} className="aek-visually-hidden">
          {tr.t('catalog.keyboardHint')}
        </p>
      </div>
      <p className="aek-visually-hidden" role="status" aria-live="polite">
        {query ? tr.t('catalog.count', { count: shown.length }) : ''}
      </p>
      {shown.length ? (
        <ul ref={list} id={`${searchId}-list`} className="aek-catalog" aria-label={tr.t('catalog.list')} onKeyDown={onGridKey}>
          {shown.map((t, i) => (
            <li key={t.id}>
              <button type="button" className="aek-tile" data-template-id={t.id} tabIndex={i === activeIndex ? 0 : -1} onFocus={() => setActive(i)} onClick={() => onPick(t)}>
                <TileIcon name={t.name} icon={t.icon} />
                <span className="aek-tile-name" dir="auto">{t.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <div className="aek-empty" data-empty="search">
          <p className="aek-empty-title">{tr.t('catalog.noMatch', { query: query.trim() })}</p>
          <button
            type="button"
            className="aek-button"
            onClick={() => {
              setQuery('');
              document.getElementById(searchId)?.focus();
            }}
          >
            {tr.t('catalog.clearSearch')}
          </button>
        </div>
      )}
    </div>
  );
}
