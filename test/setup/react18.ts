/**
 * The dom-react18 project's first setup file: the run fails unless the React under test is 18
 * (react, react-dom, and the copy Testing Library renders with), so a broken alias cannot make it
 * pass silently on the root's React 19.
 */
import { cleanup, render } from '@testing-library/react';
import { createElement, useState, version as reactVersion } from 'react';
import { version as domVersion } from 'react-dom';

for (const [name, version] of [['react', reactVersion], ['react-dom', domVersion]] as const) {
  if (!version.startsWith('18.')) throw new Error(`dom-react18: ${name} is ${version}, not 18.x: check the aliases in vite.config.ts and test/react18/`);
}
// A hook rendered by Testing Library: two Reacts mixed (its react-dom with another react) throw here.
function Probe() {
  const [version] = useState(reactVersion);
  return createElement('output', null, version);
}
const { container } = render(createElement(Probe));
if (container.textContent !== reactVersion) throw new Error(`dom-react18: Testing Library rendered "${container.textContent}", expected React ${reactVersion}`);
cleanup();
