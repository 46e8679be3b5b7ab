/**
 * Files of a generation run the studio shows: only inside the run's own output folder, which the user
 * named when starting it (a `dgs serve` never reads paths it was not given).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Project } from '../project';

export const CONTACT_SHEET = 'contact-sheet.png';

export function contactSheetOf(project: Project, runId: string): { png: Uint8Array } | null {
  const run = project.getGenerationRun(runId);
  if (!run) return null;
  const file = path.join(run.outDir, CONTACT_SHEET);
  if (!fs.existsSync(file)) return null;
  return { png: new Uint8Array(fs.readFileSync(file)) };
}
