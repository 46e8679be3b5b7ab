import { Highlight } from '@blueprintjs/icons';
import { defineTool } from '../tool-definition';
import { PickerTool } from './PickerTool';

export const picker = defineTool({
  id: 'picker',
  label: 'Pick class from image',
  key: 'i',
  icon: Highlight,
  create: (e) => new PickerTool(e),
});
