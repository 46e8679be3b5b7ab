/**
 * What is wrong with a list of label classes as a person edits it (the New project wizard's table, the
 * Gallery's class list), row by row, so each form can mark the row and say why instead of refusing
 * the whole list or quietly putting the old value back. Names are compared without regard to case
 * (the project refuses "Skin" beside "skin"), and so are hotkeys (the canvas reads keys in lower case).
 */

export interface ClassRowInput {
  name: string;
  hotkey?: string | null;
}

export interface ClassRowProblem {
  /** The row's position in the list (the class id in a new project). */
  row: number;
  field: 'name' | 'hotkey';
  /** One sentence: what is wrong with this row and what to do. */
  message: string;
}

export const MAX_CLASS_NAME = 100;

/**
 * Every problem of the list, at most one per row and field, in row order. Sentences call each row
 * "class <n>" with n its position, or `ids[row]` when given (the Gallery's class indices).
 */
export function classListProblems(classes: readonly ClassRowInput[], ids?: readonly number[]): ClassRowProblem[] {
  const num = (row: number) => ids?.[row] ?? row;
  const problems: ClassRowProblem[] = [];
  const names = new Map<string, number>();
  const keys = new Map<string, number>();
  classes.forEach((c, row) => {
    const name = c.name.trim();
    const label = `Class ${num(row)}`;
    if (name.length === 0) problems.push({ row, field: 'name', message: `${label} has no name; give it one.` });
    else if (name.length > MAX_CLASS_NAME)
      problems.push({
        row,
        field: 'name',
        message: `${label}'s name is longer than ${MAX_CLASS_NAME} characters; shorten it.`,
      });
    else {
      const first = names.get(name.toLowerCase());
      if (first === undefined) names.set(name.toLowerCase(), row);
      else {
        const other = classes[first].name.trim();
        const caseOnly = other !== name;
        problems.push({
          row,
          field: 'name',
          message: `${label} "${name}" has the same name as class ${num(first)}${caseOnly ? ` "${other}" (names that differ only in capitals are the same)` : ''}; rename one of them.`,
        });
      }
    }
    const key = (c.hotkey ?? '').trim().toLowerCase();
    if (key) {
      const first = keys.get(key);
      if (first === undefined) keys.set(key, row);
      else
        problems.push({
          row,
          field: 'hotkey',
          message: `${label}'s hotkey "${c.hotkey}" already selects class ${num(first)} "${classes[first].name.trim()}"; choose another key.`,
        });
    }
  });
  return problems;
}
