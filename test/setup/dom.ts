/**
 * The dom project's setup. On the 2-core CI machine, with Chromium and PostgreSQL busy beside it,
 * a first render can take over a second (the proxy's first answer, a lazy chunk's first
 * transform): findBy* waits up to 5 s instead of Testing Library's 1 s. A missing element still
 * fails the test, only later.
 */
import { configure } from '@testing-library/react';

configure({ asyncUtilTimeout: 5000 });

// Each test is a fresh browser tab: no form draft (sessionStorage) carries over from the last one.
import { afterEach } from 'vitest';
afterEach(() => sessionStorage.clear());

// The page has the kit's stylesheet, as a host's does (its development-only "styles not found"
// warning stays quiet): the one custom property that check reads, not the whole sheet, which would
// slow jsdom's style lookups in every query. test/react/WidgetRoot.styles.test.tsx removes it.
const stylesMarker = document.createElement('style');
stylesMarker.dataset.aekStylesMarker = '';
stylesMarker.textContent = '.aek-root { --aek-font: system-ui; }';
document.head.append(stylesMarker);
