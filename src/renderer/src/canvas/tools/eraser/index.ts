import { Eraser } from '@blueprintjs/icons';
import { defineTool } from '../tool-definition';
import { EraserTool } from './EraserTool';

export const eraser = defineTool({
  id: 'eraser',
  label: 'Eraser',
  key: 'e',
  icon: Eraser,
  create: (e) => new EraserTool(e),
});
