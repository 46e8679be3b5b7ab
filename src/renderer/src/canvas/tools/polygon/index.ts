import { defineTool } from '../tool-definition';
import { PolygonTool } from './PolygonTool';

export const polygon = defineTool({
  id: 'polygon',
  label: 'Polygon',
  key: 'p',
  edits: true,
  create: (e) => new PolygonTool(e),
});
