import { defineTool } from '../tool-definition';
import { FillTool } from './FillTool';

export const fill = defineTool({ id: 'fill', label: 'Fill', key: 'f', create: (e) => new FillTool(e) });
