import { Tint } from '@blueprintjs/icons';
import { defineTool } from '../tool-definition';
import { FillTool } from './FillTool';

export const fill = defineTool({ id: 'fill', label: 'Fill', key: 'f', icon: Tint, create: (e) => new FillTool(e) });
