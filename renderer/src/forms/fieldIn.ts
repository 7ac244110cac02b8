import type { FieldOf } from './formErrors.js';

/**
 * A FieldOf for a form whose fields are `known` API paths: an issue on a known field or inside it
 * ("consentTemplate.body", "patch.name") lands on that field, any other in the form's summary.
 */
export function fieldIn(known: readonly string[]): FieldOf {
  return (apiField) => {
    if (!apiField) return null;
    const path = apiField.replace(/^patch\./, '');
    return known.find((f) => path === f || path.startsWith(`${f}.`)) ?? null;
  };
}
