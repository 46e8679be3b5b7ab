/**
 * What the editor needs to know about a tool besides its states: its id (the settings' `tool`), the
 * label and key its action has, and how to build its state machine. Each tool's folder defines one;
 * tools/index.ts lists them. Its toolbar icon is the view's (canvas/view/tool-icons.ts, typed by the
 * list, so a tool without one does not compile): tools hold no UI.
 */
import type { Editor } from '../model/editor';
import type { StateNode } from '../model/state-node';

export interface ToolDefinition<Id extends string = string> {
  readonly id: Id;
  /** The toolbar tooltip and the action's name. */
  readonly label: string;
  /** The chord that selects it (keys.ts), checked for clashes with every other action. */
  readonly key: string;
  /**
   * Whether the tool changes the label map. Required, so a new tool says it: a read-only project
   * disables every tool that edits (with the reason in its tooltip) and keeps the editor on one that does not.
   */
  readonly edits: boolean;
  /** The tool's state machine; its StateNode id must be `id`. */
  create(editor: Editor): StateNode;
}

/** A tool definition with its id kept as a literal type, so the list of tools spells out `ToolId`. */
export function defineTool<const Id extends string>(tool: ToolDefinition<Id>): ToolDefinition<Id> {
  return tool;
}
