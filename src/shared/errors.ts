/**
 * A mistake the user can fix (bad file, bad argument, wrong size…). Its message is one sentence that
 * says what is wrong and what to do; front ends show it as is, with no stack trace, and the CLI exits 1.
 * Anything else that is thrown is an internal error (exit 2).
 *
 * A few kinds a program must tell apart carry a code besides the sentence: 'conflict' is a change
 * refused because someone else changed the thing first (a stale revision), which retrying cannot fix;
 * 'not-found' is a request for something the project does not hold (an unknown sample id), which
 * `dgs serve` answers with HTTP 404; 'resumable' is a new generation run refused because its output
 * folder holds an earlier run, which the same request with `resume` continues (the studio offers a
 * Resume button, the CLI names --resume); 'interrupted' is a command the user stopped (Ctrl-C), which the
 * CLI ends with exit code 130, as a shell does.
 */
export type UserErrorCode = 'conflict' | 'not-found' | 'resumable' | 'interrupted';

export class UserError extends Error {
  override readonly name = 'UserError';
  readonly code: UserErrorCode | undefined;
  /** Longer evidence behind the sentence (e.g. SQLite's list of problems), shown only on request (`--debug`). */
  readonly details: string | undefined;
  constructor(message: string, options?: { cause?: unknown; code?: UserErrorCode; details?: string }) {
    super(message, options);
    this.code = options?.code;
    this.details = options?.details;
  }
}

export function isUserError(e: unknown): e is Error {
  return e instanceof Error && e.name === 'UserError';
}

/** The code of a user error, if it has one. */
export function userErrorCode(e: unknown): UserErrorCode | undefined {
  return isUserError(e) ? (e as UserError).code : undefined;
}
