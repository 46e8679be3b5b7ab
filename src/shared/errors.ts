/**
 * A mistake the user can fix (bad file, bad argument, wrong size…). Its message is one sentence that
 * says what is wrong and what to do; front ends show it as is, with no stack trace, and the CLI exits 1.
 * Anything else that is thrown is an internal error (exit 2).
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isUserError(e: unknown): e is Error {
  return e instanceof Error && e.name === 'UserError';
}
