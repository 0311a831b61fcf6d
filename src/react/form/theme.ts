import type { RegistryFieldsType, TemplatesType } from '@rjsf/utils';
import { ArrayField } from './ArrayField.tsx';
import { ArrayFieldItemTemplate, ArrayFieldTemplate, buttonTemplates } from './arrays.tsx';
import { DeferredBaseInputTemplate } from './DeferredInput.tsx';
import { HiddenField, TagListField } from './fields.tsx';
import { OneOfField } from './OneOfField.tsx';
import { DescriptionFieldTemplate, FieldTemplate, MultiSchemaFieldTemplate, ObjectFieldTemplate, TitleFieldTemplate } from './templates.tsx';
import { airbyteWidgets } from './widgets.tsx';

/**
 * The kit's RJSF theme: the widgets, fields and templates that `toFormSchema`'s uiSchema names.
 * Spread it into any RJSF `<Form>` to get Airbyte's semantics with your own form shell; also
 * pass `experimental_defaultFormStateBehavior={FORM_DEFAULTS_BEHAVIOR}`, start from
 * `initialValues(schema, toSafeData(config))` and read results through `fromSafeData`.
 */
export const airbyteTheme = {
  widgets: airbyteWidgets,
  fields: { AirbyteHidden: HiddenField, AirbyteTagList: TagListField, OneOfField, ArrayField } as RegistryFieldsType,
  templates: {
    FieldTemplate,
    TitleFieldTemplate,
    ObjectFieldTemplate,
    MultiSchemaFieldTemplate,
    DescriptionFieldTemplate,
    ArrayFieldTemplate,
    ArrayFieldItemTemplate,
    BaseInputTemplate: DeferredBaseInputTemplate,
    ButtonTemplates: buttonTemplates,
  } as Partial<TemplatesType>,
};
