import { defineTool } from '../tool-definition';
import { PickerTool } from './PickerTool';

export const picker = defineTool({
  id: 'picker',
  label: 'Pick class from image',
  key: 'i',
  create: (e) => new PickerTool(e),
});
