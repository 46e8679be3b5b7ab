import { PolygonFilter } from '@blueprintjs/icons';
import { defineTool } from '../tool-definition';
import { PolygonTool } from './PolygonTool';

export const polygon = defineTool({
  id: 'polygon',
  label: 'Polygon',
  key: 'p',
  icon: PolygonFilter,
  create: (e) => new PolygonTool(e),
});
