import { AppError } from '../server/errors.js';

/**
 * A file that cannot be imported as a whole (too big, too many rows, unreadable, a ZIP bomb,
 * nothing matches the survey). `code` is the i18n key under `data:import.errors`.
 */
export class ImportFileError extends AppError {
  readonly params: Record<string, string | number>;
  constructor(code: string, status: number, params: Record<string, string | number> = {}, options?: { cause?: unknown }) {
    super(code, status, undefined, options);
    this.params = params;
  }
}

/** The preview asked for is gone (expired after an hour, imported already, or someone else's). */
export class ImportBatchGoneError extends AppError {
  constructor() {
    super('importExpired', 410);
  }
}
