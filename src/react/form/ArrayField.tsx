import { getDefaultRegistry } from './rjsfCore.ts';
import type { FieldPathList, FieldProps } from '@rjsf/utils';
import { useCallback } from 'react';
import type { JsonSchema } from '../../shared/contract.ts';
import { initialValues } from '../../shared/form/formValues.ts';

const CoreArrayField = getDefaultRegistry().fields.ArrayField!;

const samePath = (a: FieldPathList, b: FieldPathList) => a.length === b.length && a.every((p, i) => p === b[i]);

/**
 * RJSF's list field, with one change: an item added with "+ Add item" (or copied in empty) starts
 * from the item schema's starting values (its defaults, consts and hidden defaults, an option
 * chosen in each of its choices: see initialValues), as a form opened on that item would.
 */
export function ArrayField(props: FieldProps) {
  const { onChange, formData, fieldPathId, schema } = props;
  const handleChange = useCallback<FieldProps['onChange']>(
    (value, path, errors, id) => {
      const before: unknown[] = Array.isArray(formData) ? formData : [];
      if (Array.isArray(value) && value.length > before.length && samePath(path, fieldPathId.path)) {
        const existing = new Set(before);
        const items = schema.items as JsonSchema | undefined;
        // Items RJSF just made (or copied) are new values; the others are the very same as before.
        if (items) value = value.map((item) => (existing.has(item) ? item : initialValues(items, item ?? undefined)));
      }
      onChange(value, path, errors, id);
    },
    [onChange, formData, fieldPathId, schema],
  );
  return <CoreArrayField {...props} onChange={handleChange} />;
}
