/**
 * `airbyte-embed-kit/form`: the config form itself, loaded eagerly. Import it when you render
 * RJSF yourself (`airbyteTheme` + `toFormSchema`) or want `SourceForm` with no loading state.
 * The root entry's `SourceForm` loads this same code on first use instead.
 */
import { safeToBacktrack } from './shared/pattern/backtrackSafety.ts';
import { setBacktrackCheck } from './shared/pattern/browserPattern.ts';

// This entry is the eager one: patterns a spec does not mark are judged at once, with no wait,
// also for a host rendering RJSF itself with `airbyteTheme` and `formValidator`. (package.json
// lists this file under `sideEffects`, so bundlers keep this call.)
setBacktrackCheck(safeToBacktrack);

export { SourceForm } from './react/form/EagerSourceForm.tsx';
export { FORM_DEFAULTS_BEHAVIOR, type SourceFormProps } from './react/form/SourceForm.tsx';
export { airbyteTheme } from './react/form/theme.ts';
export { toFormSchema, SUPPORTED_EXTENSIONS } from './shared/form/formSchema.ts';
export { orderKeys } from './shared/form/uiSchema.ts';
export { initialValues } from './shared/form/formValues.ts';
export { toSafeData, fromSafeData } from './shared/form/safeKeys.ts';
export { findDiscriminator } from './shared/discriminator.ts';
export { messageFor } from './shared/validationMessages.ts';
export { formValidator, FormValidator, type AjvShapedError } from './react/form/validator.ts';
export { RichText } from './react/form/richText.tsx';
