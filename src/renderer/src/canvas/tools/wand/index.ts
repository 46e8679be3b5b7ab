import { defineTool } from '../tool-definition';
import { WandTool } from './WandTool';

export const wand = defineTool({ id: 'wand', label: 'Feature wand', key: 'w', create: (e) => new WandTool(e) });
