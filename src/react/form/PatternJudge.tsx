import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { JsonSchema } from '../../shared/contract.ts';
import { hasUnmarkedPatterns, loadBacktrackCheck } from '../../shared/pattern/browserPattern.ts';
import { useTranslator } from '../i18n.tsx';

/**
 * Set by `airbyte-embed-kit/form`'s `SourceForm`: the pattern judge is part of that entry, so no
 * spec waits for it. A context rather than the judge's module state, which a server process shares
 * between pages: the server's render and the browser's first render then always agree.
 */
export const JudgeIncluded = createContext(false);

/**
 * Holds the form back while the judge of the spec's unmarked patterns loads: a spec from the
 * proxy marks every pattern (PATTERN_SAFE) and never waits; one a host passes to the root entry's
 * `SourceForm` waits once, for a few kB. Should the judge fail to load, the form shows anyway and
 * the proxy checks the patterns.
 */
export function PatternJudge({ spec, children }: { spec: JsonSchema; children: ReactNode }) {
  const tr = useTranslator();
  const included = useContext(JudgeIncluded);
  const needed = useMemo(() => hasUnmarkedPatterns(spec), [spec]);
  const [settled, setSettled] = useState(false);
  const ready = !needed || included || settled;
  useEffect(() => {
    if (ready) return;
    let live = true;
    void loadBacktrackCheck()
      .catch(() => undefined)
      .then(() => live && setSettled(true));
    return () => {
      live = false;
    };
  }, [ready]);
  if (ready) return children;
  return (
    <p className="aek-loading" role="status">
      {tr.t('configure.loading')}
    </p>
  );
}
