import type { ApiError, ErrorCode, FieldIssue } from '../../contract/result.js';

// Apart from errors.ts (zod) so that the photo worker threads start without loading zod.
/** An error meant for the person in front of the screen: a code, a sentence, and the field it concerns. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Every field's issue when the input had several (contract/result.ts errorFromZod). */
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.name = 'AppError';
  }

  toApiError(): ApiError {
    return {
      code: this.code,
      message: this.message,
      ...(this.field ? { field: this.field } : {}),
      ...(this.issues && this.issues.length > 1 ? { issues: this.issues } : {}),
    };
  }
}
