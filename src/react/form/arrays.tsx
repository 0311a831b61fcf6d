import {
  buttonId,
  descriptionId,
  getTemplate,
  getUiOptions,
  titleId,
  TranslatableString,
  type ArrayFieldItemTemplateProps,
  type ArrayFieldTemplateProps,
  type IconButtonProps,
} from '@rjsf/utils';
import { RichTitle } from './templates.tsx';

/**
 * Lists RJSF renders item by item (arrays of objects such as a file source's streams or Google
 * Analytics' custom reports): a visible title, the description, a numbered list of items (or a
 * line saying there are none yet) and a labelled "Add item" button. RJSF's own template draws
 * Bootstrap glyph icons, which are empty boxes without Bootstrap's font.
 */
export function ArrayFieldTemplate(props: ArrayFieldTemplateProps) {
  const { canAdd, disabled, readonly, fieldPathId, uiSchema, items, onAddClick, registry, required, schema, title, optionalDataControl } = props;
  const options = getUiOptions(uiSchema);
  const DescriptionTemplate = getTemplate('DescriptionFieldTemplate', registry, options);
  const { AddButton } = registry.templates.ButtonTemplates;
  const heading = (options.title as string | undefined) || title;
  const description = (options.description as string | undefined) || schema.description;
  return (
    <fieldset className="aek-array" id={fieldPathId.$id} aria-labelledby={heading ? titleId(fieldPathId) : undefined} aria-describedby={description ? descriptionId(fieldPathId) : undefined}>
      {heading && options.label !== false && (
        <div className="control-label" id={titleId(fieldPathId)}>
          <RichTitle schema={schema} text={heading} />
          {required && <span className="required">*</span>}
        </div>
      )}
      {description && <DescriptionTemplate id={descriptionId(fieldPathId)} description={description} schema={schema} uiSchema={uiSchema} registry={registry} />}
      {optionalDataControl}
      {items.length > 0 ? <ol className="aek-array-items">{items}</ol> : <p className="aek-hint">{registry.translateString(TranslatableString.EmptyArray)}</p>}
      {canAdd && <AddButton id={buttonId(fieldPathId, 'add')} className="aek-array-add" onClick={onAddClick} disabled={disabled || readonly} uiSchema={uiSchema} registry={registry} />}
    </fieldset>
  );
}

/**
 * One item of a list: objects as a card headed "Item N" with its move and remove buttons; a
 * single value (a number, a date) on one row with its buttons beside it.
 */
export function ArrayFieldItemTemplate({ children, className, buttonsProps, hasToolbar, index, registry, schema, uiSchema }: ArrayFieldItemTemplateProps) {
  const ButtonsTemplate = getTemplate('ArrayFieldItemButtonsTemplate', registry, getUiOptions(uiSchema));
  const isObject = schema.type === 'object' || schema.properties !== undefined || schema.oneOf !== undefined;
  const label = `${registry.translateString(TranslatableString.ArrayItemTitle)} ${index + 1}`;
  const toolbar = hasToolbar && (
    <div className="aek-array-item-toolbar" role="group" aria-label={label}>
      <ButtonsTemplate {...buttonsProps} />
    </div>
  );
  return (
    <li className={`${className} aek-array-item`} data-kind={isObject ? 'object' : 'value'}>
      {isObject ? (
        <>
          <div className="aek-array-item-header">
            <span>{label}</span>
            {toolbar}
          </div>
          {children}
        </>
      ) : (
        <>
          <div className="aek-array-item-value">{children}</div>
          {toolbar}
        </>
      )}
    </li>
  );
}

/** A small button whose name is its (translated) action: a glyph on screen, the word for assistive tech. */
function actionButton(action: TranslatableString, glyph: string, kind?: 'danger') {
  function ActionButton({ registry, className, uiSchema: _uiSchema, iconType: _iconType, icon: _icon, ...rest }: IconButtonProps) {
    const name = registry.translateString(action);
    return (
      <button type="button" className={`aek-icon-button${className ? ` ${className}` : ''}`} data-kind={kind} aria-label={name} title={name} {...rest}>
        <span aria-hidden="true">{glyph}</span>
      </button>
    );
  }
  return ActionButton;
}

/** "+ Add item", in words: the one button of a list a user must find. */
function AddButton({ registry, className, uiSchema: _uiSchema, iconType: _iconType, icon: _icon, ...rest }: IconButtonProps) {
  return (
    <button type="button" className={`aek-button${className ? ` ${className}` : ''}`} {...rest}>
      <span aria-hidden="true">+ </span>
      {registry.translateString(TranslatableString.AddItemButton)}
    </button>
  );
}

/** RJSF's button slots, each with a visible glyph and a translated accessible name. */
export const buttonTemplates = {
  AddButton,
  CopyButton: actionButton(TranslatableString.CopyButton, '⧉'),
  MoveUpButton: actionButton(TranslatableString.MoveUpButton, '↑'),
  MoveDownButton: actionButton(TranslatableString.MoveDownButton, '↓'),
  RemoveButton: actionButton(TranslatableString.RemoveButton, '✕', 'danger'),
  ClearButton: actionButton(TranslatableString.ClearButton, '✕'),
};
