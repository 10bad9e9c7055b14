/**
 * Typed errors with a stable `code`. Domain code throws them; the one error handler maps
 * them to a status and a localized page or JSON body (the code is also the i18n key).
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(code: string, status: number, message?: string, options?: { cause?: unknown }) {
    super(message ?? code, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

export class NotFoundError extends AppError {
  constructor(code = 'notFound', message?: string) {
    super(code, 404, message);
  }
}

export class BadRequestError extends AppError {
  constructor(code = 'badRequest', message?: string) {
    super(code, 400, message);
  }
}

export class GoneError extends AppError {
  constructor(code = 'surveyClosed', message?: string) {
    super(code, 410, message);
  }
}

export class ConflictError extends AppError {
  constructor(code = 'conflict', message?: string) {
    super(code, 409, message);
  }
}

export class UnavailableError extends AppError {
  constructor(code = 'unavailable', message?: string, options?: { cause?: unknown }) {
    super(code, 503, message, options);
  }
}

/** One problem with a field, with an i18n key and its interpolation values. */
export interface FieldProblem {
  field: string;
  code: string;
  params?: Record<string, string | number>;
}

export class ValidationError extends AppError {
  readonly problems: FieldProblem[];
  constructor(problems: FieldProblem[], code = 'validation') {
    super(code, 422, problems.map((p) => `${p.field}: ${p.code}`).join('; '));
    this.problems = problems;
  }
}
