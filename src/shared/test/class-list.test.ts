/** The class list's problems row by row: empty names, duplicates (also by case alone), hotkeys used twice. */
import { describe, expect, it } from 'vitest';
import { classListProblems } from '../class-list';

describe('classListProblems', () => {
  it('finds nothing wrong with distinct names and keys', () => {
    expect(
      classListProblems([{ name: 'background' }, { name: 'skin', hotkey: 's' }, { name: 'hair', hotkey: 'h' }]),
    ).toEqual([]);
  });

  it('names the row that is empty, repeats a name (also by case alone) or reuses a hotkey', () => {
    const problems = classListProblems([
      { name: 'background' },
      { name: 'Skin', hotkey: 'k' },
      { name: '  ' },
      { name: 'skin' },
      { name: 'hair', hotkey: 'K' },
      { name: 'Skin' },
    ]);
    expect(problems).toEqual([
      { row: 2, field: 'name', message: 'Class 2 has no name; give it one.' },
      {
        row: 3,
        field: 'name',
        message:
          'Class 3 "skin" has the same name as class 1 "Skin" (names that differ only in capitals are the same); rename one of them.',
      },
      {
        row: 4,
        field: 'hotkey',
        message: 'Class 4\'s hotkey "K" already selects class 1 "Skin"; choose another key.',
      },
      { row: 5, field: 'name', message: 'Class 5 "Skin" has the same name as class 1; rename one of them.' },
    ]);
  });
});
