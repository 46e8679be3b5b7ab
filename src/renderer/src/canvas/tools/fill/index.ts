import { defineTool } from '../tool-definition';
import { FillTool } from './FillTool';

export const fill = defineTool({ id: 'fill', label: 'Fill', key: 'f', edits: true, create: (e) => new FillTool(e) });
