// The eager form entry beside the widget: its declarations (and @rjsf/utils' under them) must
// type-check in a layout where nothing undeclared is reachable.
import { SourceForm, type SourceFormProps } from 'airbyte-embed-kit/form';

export function OneForm(props: Pick<SourceFormProps, 'spec' | 'onSubmit'>) {
  return <SourceForm spec={props.spec} onSubmit={props.onSubmit} />;
}
