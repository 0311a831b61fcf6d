/**
 * No pattern can freeze the user's tab: Google PageSpeed's real `urls` pattern takes forever in a
 * backtracking engine on a 100-character value. Typed into the form with live validation, the
 * form stays responsive and leaves that pattern to the proxy (which checks it in linear time).
 */
import 'airbyte-embed-kit/styles.css';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { SourceForm } from '../../../src/react/form/SourceForm.tsx';
import { safeToBacktrack } from '../../../src/shared/pattern/backtrackSafety.ts';
import { markPatternSafety } from '../../../src/shared/pattern/browserPattern.ts';

afterEach(cleanup);

const pagespeed = "^(?:origin:)?(http(s)?:\\/\\/)[\\w.-]+(?:\\.[\\w\\.-]+)+[\\w\\-\\._~:\\/?#\\[\\]@!\\$&'\\(\\)\\*\\+,;=.]+$";

describe('hostile patterns in the browser', () => {
  it('a value that would backtrack for ever is typed, validated live and submitted without freezing the page', async () => {
    const onSubmit = vi.fn();
    render(<SourceForm liveValidate onSubmit={onSubmit} spec={{ type: 'object', required: ['url'], properties: { url: { type: 'string', title: 'URL', pattern: pagespeed }, code: { type: 'string', title: 'Code', pattern: '^[A-Z]{3}$', always_show: true } } }} />);
    // A spec not from the proxy (no marks): the form waits for its pattern judge, then shows.
    await userEvent.fill(await screen.findByLabelText('URL*'), `https://${'a.'.repeat(46)}a\u0001`);
    await userEvent.fill(screen.getByLabelText('Code'), 'abc');
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    // The safe pattern is still checked here; the dangerous one is the proxy's to check.
    expect(await screen.findByText('is not in the expected format')).toBeTruthy();
    await userEvent.fill(screen.getByLabelText('Code'), 'ABC');
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it("a spec from the proxy (patterns marked) shows at once, and the marks decide what is checked here", async () => {
    const onSubmit = vi.fn();
    const spec = markPatternSafety({ type: 'object', required: ['url'], properties: { url: { type: 'string', title: 'URL', pattern: pagespeed }, code: { type: 'string', title: 'Code', pattern: '^[A-Z]{3}$', always_show: true } } }, safeToBacktrack);
    render(<SourceForm onSubmit={onSubmit} spec={spec} />);
    await userEvent.fill(screen.getByLabelText('URL*'), `https://${'a.'.repeat(46)}a\u0001`);
    await userEvent.fill(screen.getByLabelText('Code'), 'abc');
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('is not in the expected format')).toBeTruthy();
    expect(screen.getAllByText('is not in the expected format')).toHaveLength(1);
  });

  it.each([
    ['^(a+)+$', false],
    ['^(a|a)*$', false],
    ['^(\\w+\\s?)*$', false],
    ['^(?!x).*$', false],
    ['(a)\\1', false],
    ['^[0-9]{4}-[0-9]{2}-[0-9]{2}$', true],
    ['^[0-9]{10}(,[0-9]{10})*$', true],
    ['^\\d{4}(-\\d{2})?$', true],
  ])('judges %s as safe to backtrack: %s', (pattern, safe) => {
    expect(safeToBacktrack(pattern)).toBe(safe);
  });
});
