import { defineTool } from '../tool-definition';
import { WandTool } from './WandTool';

export const wand = defineTool({
  id: 'wand',
  label: 'Feature wand',
  key: 'w',
  edits: true,
  create: (e) => new WandTool(e),
});
