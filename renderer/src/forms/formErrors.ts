import type { ApiError } from '../../../contract/result.js';

/** A refused call's issues as a form shows them: each on its own field (useForm.ts). */

/** One message for one field of the form; field null: for the form as a whole (its summary). */
export interface FormError {
  field: string | null;
  message: string;
}

/** From an API field path ("patch.zones.0.depthMm") to the form's field, or null for the summary. */
export type FieldOf = (apiField: string | undefined) => string | null;

const sameField: FieldOf = (apiField) => apiField ?? null;

/** Every issue of a refused call on its form field, first issue first, one message per field. */
export function formErrors(error: ApiError, fieldOf: FieldOf = sameField): FormError[] {
  const issues = error.issues ?? [{ message: error.message, ...(error.field ? { field: error.field } : {}) }];
  const out: FormError[] = [];
  for (const issue of issues) {
    const field = fieldOf(issue.field);
    if (field !== null && out.some((e) => e.field === field)) continue;
    out.push({ field, message: issue.message });
  }
  return out;
}

/** The message on one field, if it has one. */
export function errorOn(errors: readonly FormError[], field: string): string | undefined {
  return errors.find((e) => e.field === field)?.message;
}
