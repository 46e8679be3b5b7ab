import { defineTool } from '../tool-definition';
import { PolygonTool } from './PolygonTool';

export const polygon = defineTool({
  id: 'polygon',
  label: 'Polygon',
  key: 'p',
  create: (e) => new PolygonTool(e),
});
