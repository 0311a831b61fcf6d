import { safeToBacktrack } from '../../shared/pattern/backtrackSafety.ts';
import { setBacktrackCheck } from '../../shared/pattern/browserPattern.ts';
import { JudgeIncluded } from './PatternJudge.tsx';
import { SourceForm as Form, type SourceFormProps } from './SourceForm.tsx';

/**
 * `SourceForm` as `airbyte-embed-kit/form` exports it: with the pattern judge built in, so a spec
 * that did not come from the proxy (no pattern marks) shows at once, on the server too. Trap: in
 * English only; another language renders once its messages have loaded in the browser.
 */
export function SourceForm(props: SourceFormProps) {
  setBacktrackCheck(safeToBacktrack); // idempotent: whichever module a bundler kept, the judge is set
  return (
    <JudgeIncluded.Provider value>
      <Form {...props} />
    </JudgeIncluded.Provider>
  );
}
