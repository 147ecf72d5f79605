import { type FieldCondition, type FieldWidget, parseWithSchema, type VariableSpec } from '@convoflow/engine';
import { createContext, type ReactNode, useContext, useMemo, useRef } from 'react';
import type { z } from 'zod';
import {
  asSchema,
  discriminatorOf,
  emptyValue,
  humanize,
  initialObject,
  type JsonSchema,
  jsonSchemaOf,
  propertiesOf,
  resolveField,
} from './json-schema.ts';
import { insertAt, VariablePicker } from './VariablePicker.tsx';

/** A custom control for the fields whose `.meta()` names it as their `widget`. */
export type Widget = (props: {
  id: string;
  label: string;
  value: unknown;
  onChange: (value: unknown) => void;
}) => ReactNode;

export interface SchemaFormProps {
  schema: z.ZodType;
  value: Record<string, unknown>;
  onChange: (next: Record<string, unknown>) => void;
  /** Offered by the variable picker of text fields. */
  variables?: readonly VariableSpec[];
  /** Extra messages by field path (`columns.2.value`), e.g. from workflow validation. */
  errors?: Readonly<Record<string, string>>;
  /** Controls by widget name; a field naming a widget not given here gets its usual control. */
  widgets?: Readonly<Partial<Record<FieldWidget, Widget>>>;
  /** Top-level fields that apply only under a condition (the node definition's hint). */
  fieldConditions?: Readonly<Record<string, FieldCondition>>;
  idPrefix?: string;
}

interface FormContext {
  variables: readonly VariableSpec[];
  errors: Readonly<Record<string, string>>;
  widgets: Readonly<Partial<Record<FieldWidget, Widget>>>;
  idPrefix: string;
}

const Context = createContext<FormContext>({ variables: [], errors: {}, widgets: {}, idPrefix: 'field' });

/**
 * A form generated from a node's zod schema: `.meta()` title/description become label and help,
 * enums become selects, nested objects fieldsets, arrays of objects rows to add and remove.
 */
export function SchemaForm({
  schema,
  value,
  onChange,
  variables = [],
  errors = {},
  widgets = {},
  fieldConditions,
  idPrefix = 'field',
}: SchemaFormProps) {
  const json = jsonSchemaOf(schema);
  const issues = useMemo(() => {
    // Checked as validation checks a step, so each field says what the run log would.
    const parsed = parseWithSchema(schema, value);
    const byPath: Record<string, string> = {};
    if (!parsed.ok) for (const issue of parsed.issues) byPath[issue.field ?? ''] ??= issue.reason;
    return byPath;
  }, [schema, value]);
  const context = useMemo(
    () => ({ variables, errors: { ...issues, ...errors }, widgets, idPrefix }),
    [variables, issues, errors, widgets, idPrefix],
  );
  return (
    <Context.Provider value={context}>
      <div className="schema-form">
        <ObjectFields
          schema={json}
          value={value}
          path={[]}
          onChange={onChange}
          applies={(key) => applies(fieldConditions?.[key], json, value)}
        />
      </div>
    </Context.Provider>
  );
}

interface FieldProps<T = unknown> {
  schema: JsonSchema;
  value: T;
  path: readonly (string | number)[];
  onChange: (value: T) => void;
}

function ObjectFields({
  schema,
  value,
  path,
  onChange,
  applies = () => true,
}: FieldProps<Record<string, unknown>> & { applies?: (key: string) => boolean }) {
  return (
    <>
      {propertiesOf(schema)
        .filter((property) => applies(property.key))
        .map((property) => (
          <Field
            key={property.key}
            schema={property.schema}
            required={property.required}
            value={value[property.key]}
            path={[...path, property.key]}
            onChange={(next) => {
              const copy = { ...value };
              if (next === undefined) delete copy[property.key];
              else copy[property.key] = next;
              onChange(copy);
            }}
          />
        ))}
    </>
  );
}

function Field({ schema: raw, value, path, onChange, required }: FieldProps & { required: boolean }) {
  const { errors, widgets, idPrefix } = useContext(Context);
  const { schema, kind } = resolveField(raw);
  const key = path.map(String).join('.');
  const id = `${idPrefix}-${path.join('-')}`;
  const last = path[path.length - 1];
  const label = schema.title ?? raw.title ?? humanize(String(last ?? ''));
  const help = schema.description ?? raw.description;
  const error = errors[key];
  const widget = widgetOf(widgets, schema.widget ?? raw.widget);

  if (kind === 'const') return null;
  const control = widget ? (
    widget({ id, label, value, onChange })
  ) : kind === 'object' ? (
    <ObjectFields schema={schema} value={isObject(value) ? value : {}} path={path} onChange={onChange} />
  ) : kind === 'rows' ? (
    <Rows schema={schema} value={Array.isArray(value) ? value : []} path={path} onChange={onChange} label={label} />
  ) : kind === 'list' ? (
    <List schema={schema} value={Array.isArray(value) ? value : []} path={path} onChange={onChange} label={label} />
  ) : kind === 'union' ? (
    <Union schema={schema} value={value} path={path} onChange={onChange} label={label} id={id} />
  ) : (
    <Scalar kind={kind} schema={schema} value={value} path={path} onChange={onChange} id={id} label={label} />
  );

  if (kind === 'object' || kind === 'rows' || kind === 'list') {
    return (
      <fieldset className="field field--group" data-testid={`field-${key}`}>
        <legend>{label}</legend>
        {help && <p className="field__help">{help}</p>}
        {control}
        {error && <FieldError message={error} />}
      </fieldset>
    );
  }
  return (
    <div className={`field field--${kind}${error ? ' field--invalid' : ''}`} data-testid={`field-${key}`}>
      {kind === 'boolean' ? (
        control
      ) : (
        <label className="field__label" htmlFor={id}>
          {label}
          {required && schema.default === undefined && (
            <span className="field__required" aria-hidden="true">
              {' '}
              *
            </span>
          )}
        </label>
      )}
      {kind !== 'boolean' && control}
      {help && <p className="field__help">{help}</p>}
      {error && <FieldError message={error} />}
    </div>
  );
}

function FieldError({ message }: { message: string }) {
  return (
    <p className="field__error" role="alert">
      {message}
    </p>
  );
}

function Scalar({
  kind,
  schema,
  value,
  onChange,
  id,
  label,
}: FieldProps & { kind: string; id: string; label: string }) {
  const { variables } = useContext(Context);
  const input = useRef<HTMLInputElement & HTMLTextAreaElement>(null);

  if (kind === 'select') {
    const options = (schema.enum ?? []).map(String);
    const current = value === undefined ? '' : String(value);
    return (
      <select
        id={id}
        value={current}
        onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
      >
        {(current === '' || !options.includes(current)) && <option value="">Choose…</option>}
        {options.map((option) => (
          <option key={option} value={option}>
            {optionLabel(schema, option)}
          </option>
        ))}
      </select>
    );
  }
  if (kind === 'number') {
    return (
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={typeof value === 'number' ? value : ''}
        placeholder={typeof schema.default === 'number' ? String(schema.default) : undefined}
        onChange={(event) => onChange(event.target.value === '' ? undefined : Number(event.target.value))}
      />
    );
  }
  if (kind === 'boolean') {
    return (
      <label className="field__check" htmlFor={id}>
        <input id={id} type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked)} />
        {label}
      </label>
    );
  }
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  const multiline = schema.multiline === true;
  const templated = schema.variables !== false;
  const common = {
    id,
    value: text,
    placeholder: typeof schema.default === 'string' ? schema.default : undefined,
    onChange: (event: { target: { value: string } }) => onChange(event.target.value),
  };
  return (
    <div className="field__text">
      {multiline ? <textarea ref={input} rows={3} {...common} /> : <input ref={input} type="text" {...common} />}
      {templated && (
        <VariablePicker
          variables={variables}
          fieldLabel={label}
          onPick={(token) => {
            const element = input.current;
            const start = element?.selectionStart ?? text.length;
            const end = element?.selectionEnd ?? text.length;
            const next = insertAt(text, token, start, end);
            onChange(next.text);
            requestAnimationFrame(() => {
              element?.focus();
              element?.setSelectionRange(next.caret, next.caret);
            });
          }}
        />
      )}
    </div>
  );
}

function Rows({ schema, value, path, onChange, label }: FieldProps<unknown[]> & { label: string }) {
  const { idPrefix } = useContext(Context);
  const items = asSchema(schema.items) ?? {};
  const itemSchema = resolveField(items).schema;
  const flat = propertiesOf(itemSchema).every((p) =>
    ['text', 'number', 'select', 'boolean', 'const'].includes(resolveField(p.schema).kind),
  );
  return (
    <div className={`rows${flat ? ' rows--flat' : ''}`}>
      {value.map((item, index) => (
        <div
          className="rows__row"
          // biome-ignore lint/suspicious/noArrayIndexKey: rows carry no id of their own; position is their identity
          key={`${idPrefix}-${path.join('-')}-${index}`}
          data-testid={`row-${path.join('.')}-${index}`}
        >
          <div className="rows__fields">
            {resolveField(items).kind === 'object' ? (
              <ObjectFields
                schema={itemSchema}
                value={isObject(item) ? item : {}}
                path={[...path, index]}
                onChange={(next) => onChange(value.map((old, i) => (i === index ? next : old)))}
              />
            ) : (
              <Field
                schema={items}
                required
                value={item}
                path={[...path, index]}
                onChange={(next) => onChange(value.map((old, i) => (i === index ? next : old)))}
              />
            )}
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove ${label} row ${index + 1}`}
            onClick={() => onChange(value.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button--small"
        aria-label={`Add ${label} row`}
        onClick={() => onChange([...value, emptyValue(items)])}
      >
        + Add
      </button>
    </div>
  );
}

function List({ schema, value, path, onChange, label }: FieldProps<unknown[]> & { label: string }) {
  const items = asSchema(schema.items) ?? {};
  return (
    <div className="rows">
      {value.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: list entries carry no id of their own; position is their identity
        <div className="rows__row" key={`${path.join('-')}-${index}`}>
          <div className="rows__fields">
            <Field
              schema={{ ...items, title: `${label} ${index + 1}` }}
              required
              value={item}
              path={[...path, index]}
              onChange={(next) => onChange(value.map((old, i) => (i === index ? next : old)))}
            />
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove ${label} ${index + 1}`}
            onClick={() => onChange(value.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button--small"
        aria-label={`Add ${label}`}
        onClick={() => onChange([...value, emptyValue(items) ?? ''])}
      >
        + Add
      </button>
    </div>
  );
}

/** Union of objects with a `const` discriminator: a select for it, then the chosen branch's fields. */
function Union({ schema, value, path, onChange, label, id }: FieldProps & { label: string; id: string }) {
  const branches = (schema.anyOf ?? schema.oneOf ?? []).map(asSchema).filter((b): b is JsonSchema => b !== undefined);
  const discriminator = discriminatorOf(branches);
  const current = isObject(value) ? value : {};
  if (!discriminator) {
    const first = branches[0];
    return first ? <Field schema={first} required value={value} path={path} onChange={onChange} /> : null;
  }
  const tags = branches.map((b) => String(asSchema(b.properties?.[discriminator])?.const));
  const index = Math.max(0, tags.indexOf(String(current[discriminator])));
  const branch = branches[index] ?? {};
  return (
    <div className="union">
      <select
        id={id}
        aria-label={`${label}: ${humanize(discriminator)}`}
        value={tags[index]}
        onChange={(event) => {
          const next = branches[tags.indexOf(event.target.value)];
          if (next) onChange({ ...initialObject(next), ...keep(current, next), [discriminator]: event.target.value });
        }}
      >
        {tags.map((tag) => (
          <option key={tag} value={tag}>
            {optionLabel(schema, tag)}
          </option>
        ))}
      </select>
      <ObjectFields schema={branch} value={current} path={path} onChange={onChange} />
    </div>
  );
}

/** Whether a field applies to `value`: its condition's field (or that field's default) is one of the values. */
function applies(condition: FieldCondition | undefined, schema: JsonSchema, value: Record<string, unknown>): boolean {
  if (!condition) return true;
  const current = value[condition.field] ?? asSchema(schema.properties?.[condition.field])?.default;
  return condition.oneOf.some((allowed) => allowed === current);
}

function widgetOf(widgets: FormContext['widgets'], name: unknown): Widget | undefined {
  return typeof name === 'string' && Object.hasOwn(widgets, name) ? widgets[name as FieldWidget] : undefined;
}

function keep(value: Record<string, unknown>, branch: JsonSchema): Record<string, unknown> {
  const allowed = new Set(Object.keys(branch.properties ?? {}));
  return Object.fromEntries(Object.entries(value).filter(([key]) => allowed.has(key)));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The words a choice shows: the field's `optionLabels`, else its value. */
function optionLabel(schema: JsonSchema, value: string): string {
  const labels = schema.optionLabels;
  if (typeof labels === 'object' && labels !== null && Object.hasOwn(labels, value)) {
    const label: unknown = Reflect.get(labels, value);
    if (typeof label === 'string') return label;
  }
  return value;
}
