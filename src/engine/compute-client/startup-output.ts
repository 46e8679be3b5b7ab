/**
 * Why a compute process could not start, in a few words for the sentence the supervisor gives up with:
 * how it ended and the error line of what it wrote to stderr (Node prints the failing module or the
 * thrown error there, under a source excerpt and above a stack trace; only the error line is kept).
 */
const MAX_CAUSE = 240;

export function startFailureCause(how: string, output: string, error: unknown): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && l !== '^' && !/^node:internal\//.test(l) && !/^Node\.js v\d/.test(l));
  const errorLine = lines.find((l) => /^[\w.]*(Error|Exception)\b[^:]*:/.test(l)) ?? lines.at(-1);
  const said = errorLine ?? (error instanceof Error && error.message !== how ? error.message : '');
  const cause = said ? `${how}: ${said}` : how;
  return cause.length > MAX_CAUSE ? `${cause.slice(0, MAX_CAUSE - 1)}…` : cause;
}
