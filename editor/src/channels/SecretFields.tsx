import type { z } from 'zod';
import { humanize, jsonSchemaOf, propertiesOf } from '../forms/json-schema.ts';

interface SecretFieldsProps {
  schema: z.ZodObject;
  value: Record<string, string>;
  onChange: (next: Record<string, string>) => void;
  /** Reasons by field key, from the last attempt to save. */
  errors: Readonly<Record<string, string>>;
  /** When editing: the secrets the server holds, each said to be set (and kept when left empty) or not. */
  stored?: readonly string[];
  idPrefix: string;
}

/**
 * A channel's secrets as password fields, from its `secrets` schema. Nothing is filled in:
 * the server never gives a secret back, only whether it holds one.
 */
export function SecretFields({ schema, value, onChange, errors, stored, idPrefix }: SecretFieldsProps) {
  return (
    <div className="schema-form">
      {propertiesOf(jsonSchemaOf(schema)).map(({ key, schema: field, required }) => {
        const id = `${idPrefix}-${key}`;
        const error = errors[key];
        const isSet = stored?.includes(key) ?? false;
        return (
          <div key={key} className={`field${error ? ' field--invalid' : ''}`} data-testid={`secret-${key}`}>
            <div className="cf-secret-field__head">
              <label className="field__label" htmlFor={id}>
                {field.title ?? humanize(key)}
                {isSet ? null : required ? (
                  <span className="field__required"> *</span>
                ) : (
                  <span className="muted"> (optional)</span>
                )}
              </label>
              {stored && (
                <span id={`${id}-state`} className={`cf-secret-state${isSet ? ' cf-secret-state--set' : ''}`}>
                  {isSet ? 'Set — leave empty to keep' : 'Not set'}
                </span>
              )}
            </div>
            <input
              id={id}
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              aria-describedby={stored ? `${id}-state` : undefined}
              value={value[key] ?? ''}
              onChange={(event) => onChange({ ...value, [key]: event.target.value })}
            />
            {field.description && <p className="field__help">{field.description}</p>}
            {error && (
              <p className="field__error" role="alert">
                {error}
              </p>
            )}
          </div>
        );
      })}
    </div>
  );
}
