import type { RegistryFieldsType, TemplatesType } from '@rjsf/utils';
import { ArrayFieldItemTemplate, ArrayFieldTemplate, buttonTemplates } from './arrays.tsx';
import { DeferredBaseInputTemplate } from './DeferredInput.tsx';
import { HiddenField, TagListField } from './fields.tsx';
import { DescriptionFieldTemplate, MultiSchemaFieldTemplate, ObjectFieldTemplate } from './templates.tsx';
import { airbyteWidgets } from './widgets.tsx';

/**
 * The kit's RJSF theme: the widgets, fields and templates that `toFormSchema`'s uiSchema names.
 * Spread it into any RJSF `<Form>` to get Airbyte's semantics with your own form shell.
 */
export const airbyteTheme = {
  widgets: airbyteWidgets,
  fields: { AirbyteHidden: HiddenField, AirbyteTagList: TagListField } as RegistryFieldsType,
  templates: {
    ObjectFieldTemplate,
    MultiSchemaFieldTemplate,
    DescriptionFieldTemplate,
    ArrayFieldTemplate,
    ArrayFieldItemTemplate,
    BaseInputTemplate: DeferredBaseInputTemplate,
    ButtonTemplates: buttonTemplates,
  } as Partial<TemplatesType>,
};
