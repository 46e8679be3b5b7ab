/**
 * The vector shapes an annotation keeps beside its label map, so polygons can be edited later. The
 * label map stays the truth: shapes record how polygons were drawn, and editing one repaints only the
 * pixels its region gained or lost (src/shared/raster/paint.ts `repaintRegion`). Brush strokes, fills
 * and pre-labels live in the map alone.
 *
 * Stored as a versioned envelope, validated on every read:
 *   { "format": "dgs-shapes", "version": 1, "shapes": [ { "id", "kind": "polygon", "classId",
 *     "rings": [[x0, y0, x1, y1, …], …], "fillRule": "nonzero" | "evenodd" } ] }
 * rings[0] is the outline, further rings are holes; coordinates are image pixels (y down, pixel (x, y)
 * covers [x, x+1) × [y, y+1)).
 */
import { z } from 'zod';
import { UserError } from './errors';

export const SHAPES_FORMAT = 'dgs-shapes';
export const SHAPES_VERSION = 1;

const ring = z
  .array(z.number().finite())
  .min(6)
  .refine((r) => r.length % 2 === 0, 'a ring lists x, y pairs');

export const PolygonShapeSchema = z.object({
  id: z.string().min(1),
  kind: z.literal('polygon'),
  classId: z.number().int().min(0).max(255),
  rings: z.array(ring).min(1),
  fillRule: z.enum(['nonzero', 'evenodd']),
});
export type PolygonShape = z.infer<typeof PolygonShapeSchema>;

export const ShapesEnvelopeSchema = z.object({
  format: z.literal(SHAPES_FORMAT),
  version: z.number().int(),
  shapes: z.array(PolygonShapeSchema),
});
export type ShapesEnvelope = z.infer<typeof ShapesEnvelopeSchema>;

export function shapesEnvelope(shapes: readonly PolygonShape[]): ShapesEnvelope {
  return {
    format: SHAPES_FORMAT,
    version: SHAPES_VERSION,
    shapes: shapes.map((s) => ({ ...s, rings: s.rings.map((r) => [...r]) })),
  };
}

/**
 * The polygons of a stored `shapes` value. Null and [] (annotations imported from PNG or COCO) hold no
 * shapes; anything else must be a valid envelope of a version this build knows.
 */
export function readShapes(value: unknown): PolygonShape[] {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return [];
  const version = (value as { version?: unknown } | null)?.version;
  if (
    typeof version === 'number' &&
    version > SHAPES_VERSION &&
    (value as { format?: unknown }).format === SHAPES_FORMAT
  ) {
    throw new UserError(
      `These annotation shapes are version ${version}, newer than this build knows (${SHAPES_VERSION}); update DatasetGAN Studio to edit them.`,
    );
  }
  const parsed = ShapesEnvelopeSchema.safeParse(value);
  if (!parsed.success || parsed.data.version !== SHAPES_VERSION) {
    throw new UserError(
      'The annotation\'s vector shapes are not a valid "dgs-shapes" list; its label map is intact, so clear the shapes and redraw the polygons to edit them again.',
    );
  }
  return parsed.data.shapes;
}
