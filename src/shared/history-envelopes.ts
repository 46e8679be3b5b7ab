/**
 * The JSON of a project's history rows (docs/project-file.md, "history", since format 2): the versions a
 * version was made from, and a class's or sample's mergeable fields. Neither has a version field (1).
 */
import { z } from 'zod';
import { unversionedHistory } from './envelope';

export const VERSION_PARENTS_HISTORY = unversionedHistory(z.array(z.string().min(1)));
/** Null for annotation versions (their content is a hash). */
export const VERSION_FIELDS_HISTORY = unversionedHistory(z.record(z.string(), z.unknown()).nullable());
