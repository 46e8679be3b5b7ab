import { Draw } from '@blueprintjs/icons';
import { defineTool } from '../tool-definition';
import { BrushTool } from './BrushTool';

export const brush = defineTool({ id: 'brush', label: 'Brush', key: 'b', icon: Draw, create: (e) => new BrushTool(e) });
