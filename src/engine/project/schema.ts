/**
 * Identity of a project file: the SQLite application_id every `.dgs` file carries, the schema version
 * (= PRAGMA user_version) this build writes, and the connection settings every open applies.
 */
import { MIGRATIONS } from './migrations';

/** `PRAGMA application_id` of every project: the ASCII bytes "DGSP" read as a big-endian int32. */
export const APPLICATION_ID = 0x44475350; // 1145525072

/** The schema version this build writes; a file with a larger user_version is refused. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** What "file type" sentences call a project file. */
export const PROJECT_KIND = 'DatasetGAN Studio project';
