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
import { EnvelopeError, readEnvelope, type EnvelopeHistory, type EnvelopePlace } from './envelope';

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
  version: z.literal(SHAPES_VERSION),
  shapes: z.array(PolygonShapeSchema),
});
export type ShapesEnvelope = z.infer<typeof ShapesEnvelopeSchema>;

/** What `annotation:save` accepts as shapes: none (null, or [] as label imports write) or today's envelope. */
export const SavedShapesSchema = z.union([z.null(), z.tuple([]), ShapesEnvelopeSchema]);

export function shapesEnvelope(shapes: readonly PolygonShape[]): ShapesEnvelope {
  return {
    format: SHAPES_FORMAT,
    version: SHAPES_VERSION,
    shapes: shapes.map((s) => ({ ...s, rings: s.rings.map((r) => [...r]) })),
  };
}

/**
 * Version history: before the envelope (version 0) a stored value was bare JSON, and only null and []
 * (annotations imported from PNG or COCO, which hold no shapes) mean something to this build.
 */
const SHAPES_HISTORY: EnvelopeHistory<ShapesEnvelope> = {
  format: SHAPES_FORMAT,
  version: SHAPES_VERSION,
  schema: ShapesEnvelopeSchema,
  unversioned: 0,
  older: {
    0: { schema: z.union([z.null(), z.tuple([])], { error: 'not a "dgs-shapes" list' }), up: () => shapesEnvelope([]) },
  },
};

const EDIT_PLACE: EnvelopePlace = {
  what: "The annotation's list of vector shapes",
  fix: 'its label map is intact, so clear the shapes and redraw the polygons to edit them again',
};

/**
 * The polygons of a stored `shapes` value. Null and [] (annotations imported from PNG or COCO) hold no
 * shapes; anything else must be a valid envelope of a version this build knows.
 */
export function readShapes(value: unknown, place: EnvelopePlace = EDIT_PLACE): PolygonShape[] {
  return readEnvelope(SHAPES_HISTORY, value === undefined ? null : value, place).shapes;
}

/**
 * A stored `shapes` value as the editor gets it. The label map is the annotation's truth and the shapes
 * only help re-editing polygons, so shapes this build cannot read (damaged, or bare JSON of another
 * tool) are left out with a sentence saying so — the stored value stays until the next save replaces
 * it — while shapes of a newer build are refused, since saving over them would lose them.
 */
export function shapesForEditing(
  value: unknown,
  place: EnvelopePlace,
): { envelope: ShapesEnvelope | null; dropped: string | null } {
  try {
    const shapes = readShapes(value, place);
    return { envelope: shapes.length ? shapesEnvelope(shapes) : null, dropped: null };
  } catch (e) {
    if (e instanceof EnvelopeError && e.reason === 'damaged') return { envelope: null, dropped: e.message };
    throw e;
  }
}
