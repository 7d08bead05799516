/** Step 2: the person's name and email (the invitation went to that email). */
import { Field } from '../ui/Field.tsx';

export interface Details {
  name: string;
  email: string;
}

export interface DetailsStepProps {
  value: Details;
  onChange(value: Details): void;
  errors: Partial<Record<keyof Details, string>>;
}

/** The "Full name" and "Email" fields with their messages. */
export function DetailsStep({ value, onChange, errors }: DetailsStepProps) {
  return (
    <>
      <Field label="Full name" hint="As it is written on your ID. Accents, the order of your given names and a middle name left out do not matter." error={errors.name}>
        {(control) => (
          <input
            {...control}
            type="text"
            autoComplete="name"
            value={value.name}
            onChange={(e) => onChange({ ...value, name: e.target.value })}
          />
        )}
      </Field>
      <Field
        label="Email"
        hint="If you were invited, the address the invitation went to. You sign in with it from now on."
        error={errors.email}
      >
        {(control) => (
          <input
            {...control}
            type="email"
            autoComplete="email"
            inputMode="email"
            spellCheck={false}
            value={value.email}
            onChange={(e) => onChange({ ...value, email: e.target.value })}
          />
        )}
      </Field>
    </>
  );
}
