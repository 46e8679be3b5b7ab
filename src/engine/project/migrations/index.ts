/**
 * The numbered schema migrations, oldest first. Never edit a released migration: add the next one
 * (0003_….ts), append it here, and commit a fixture of the new version (fixtures/make-fixture.ts).
 */
import { initial } from './0001_initial';
import { sharing } from './0002_sharing';
import type { Migration } from './types';

export type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [initial, sharing];
