/**
 * The toolbar icon of each tool of canvas/tools/index.ts. Typed by the list's ids: a tool added there
 * without an icon here fails the type check.
 */
import { Clean, Draw, Eraser, Highlight, PolygonFilter, Tint } from '@blueprintjs/icons';
import type { ComponentType } from 'react';
import type { ToolId } from '../tools';

const TOOL_ICONS: Record<ToolId, ComponentType> = {
  polygon: PolygonFilter,
  brush: Draw,
  eraser: Eraser,
  fill: Tint,
  wand: Clean,
  picker: Highlight,
};

export function ToolIcon({ tool }: { tool: ToolId }) {
  const Icon = TOOL_ICONS[tool];
  return <Icon />;
}
