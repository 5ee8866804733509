// Labelled form controls with an inline error wired through aria-describedby / aria-invalid.
// Errors carry a stable test id, `error-<path>` (e.g. error-config.pool), optionally prefixed.
import type { ReactNode } from 'react';

export const errorElementId = (idPrefix: string, path: string): string =>
  `${idPrefix}err-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export function FieldError({ path, message, testPrefix = '', idPrefix = '' }: FieldErrorProps) {
  if (!message) return null;
  return (
    <p
      className="field-error"
      role="alert"
      id={errorElementId(idPrefix, path)}
      data-testid={`${testPrefix}error-${path}`}
    >
      {message}
    </p>
  );
}

interface FieldErrorProps {
  path: string;
  message: string | undefined;
  testPrefix?: string;
  idPrefix?: string;
}

interface BaseProps {
  id: string;
  label: string;
  /** Error path, e.g. "config.pool"; the message is looked up by the caller. */
  path: string;
  error?: string | undefined;
  hint?: ReactNode;
  testId?: string;
  testPrefix?: string;
  disabled?: boolean;
}

function describedBy(
  id: string,
  path: string,
  error: string | undefined,
  hint: ReactNode,
): string | undefined {
  const ids = [error ? errorElementId(`${id}-`, path) : null, hint ? `${id}-hint` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function Hint({ id, hint }: { id: string; hint: ReactNode }) {
  return hint ? (
    <span className="field-hint" id={`${id}-hint`}>
      {hint}
    </span>
  ) : null;
}

interface TextFieldProps extends BaseProps {
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'number' | 'password' | 'url';
  placeholder?: string;
  min?: number;
  max?: number;
  step?: number;
  autoComplete?: string;
  onBlur?: () => void;
}

export function TextField(props: TextFieldProps) {
  const { id, label, path, error, hint, testId, testPrefix, value, onChange, type = 'text', ...rest } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, path, error, hint)}
        data-testid={testId ?? id}
        spellCheck={false}
        {...rest}
      />
      <Hint id={id} hint={hint} />
      <FieldError path={path} message={error} testPrefix={testPrefix} idPrefix={`${id}-`} />
    </div>
  );
}

interface CheckboxFieldProps extends BaseProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
}

export function CheckboxField(props: CheckboxFieldProps) {
  const { id, label, path, error, hint, testId, testPrefix, checked, onChange, disabled } = props;
  return (
    <div className="field field-check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, path, error, hint)}
        data-testid={testId ?? id}
        disabled={disabled}
      />
      <label htmlFor={id}>{label}</label>
      <Hint id={id} hint={hint} />
      <FieldError path={path} message={error} testPrefix={testPrefix} idPrefix={`${id}-`} />
    </div>
  );
}

interface SelectFieldProps<T extends string> extends BaseProps {
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}

export function SelectField<T extends string>(props: SelectFieldProps<T>) {
  const { id, label, path, error, hint, testId, testPrefix, value, options, onChange, disabled } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => {
          const next = options.find((o) => o.value === e.target.value);
          if (next) onChange(next.value);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, path, error, hint)}
        data-testid={testId ?? id}
        disabled={disabled}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Hint id={id} hint={hint} />
      <FieldError path={path} message={error} testPrefix={testPrefix} idPrefix={`${id}-`} />
    </div>
  );
}
