/** "1 annotation", "2 annotations": a count with its noun in the right number, for sentences. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
