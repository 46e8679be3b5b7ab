import { defineTool } from '../tool-definition';
import { BrushTool } from './BrushTool';

export const brush = defineTool({
  id: 'brush',
  label: 'Brush',
  key: 'b',
  edits: true,
  create: (e) => new BrushTool(e),
});
