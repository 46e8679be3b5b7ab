import { defineTool } from '../tool-definition';
import { EraserTool } from './EraserTool';

export const eraser = defineTool({
  id: 'eraser',
  label: 'Eraser',
  key: 'e',
  edits: true,
  create: (e) => new EraserTool(e),
});
