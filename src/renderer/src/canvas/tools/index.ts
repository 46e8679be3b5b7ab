/**
 * Every tool of the editor, in toolbar order (tldraw's defaultTools.ts). The editor's state machine,
 * the settings' `ToolId`, the action registry (each tool's shortcut) and the toolbar's buttons all read
 * this list, so a new tool is its folder (its states and an index.ts with `defineTool`) plus one entry here.
 */
import { brush } from './brush';
import { eraser } from './eraser';
import { fill } from './fill';
import { picker } from './picker';
import { polygon } from './polygon';
import { wand } from './wand';

export const TOOLS = [polygon, brush, eraser, fill, wand, picker] as const;

export type ToolId = (typeof TOOLS)[number]['id'];

/** Whether the tool changes the label map (off in a read-only project); an unknown id counts as editing. */
export function toolEdits(id: string): boolean {
  return TOOLS.find((t) => t.id === id)?.edits ?? true;
}
