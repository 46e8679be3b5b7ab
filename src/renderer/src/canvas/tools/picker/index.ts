import { defineTool } from '../tool-definition';
import { PickerTool } from './PickerTool';

export const picker = defineTool({
  id: 'picker',
  label: 'Pick class from image',
  key: 'i',
  edits: false,
  create: (e) => new PickerTool(e),
});
