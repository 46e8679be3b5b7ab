/**
 * A generation run as the studio shows it: its record as a row of the runs list, and its files — only
 * inside the run's own output folder, which the user named when starting it (a `dgs serve` never reads
 * paths it was not given).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ApiResponse } from '../../shared/api';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/dataset-types';
import type { GenerationRun } from '../../shared/project-types';
import type { Project } from '../project';
import { readRunRecord } from '../project/generation-runs';

export const CONTACT_SHEET = 'contact-sheet.png';

export function contactSheetOf(project: Project, runId: string): { png: Uint8Array } | null {
  const run = project.getGenerationRun(runId);
  if (!run) return null;
  const file = path.join(run.outDir, CONTACT_SHEET);
  if (!fs.existsSync(file)) return null;
  return { png: new Uint8Array(fs.readFileSync(file)) };
}

const isFormat = (f: string): f is ExportFormat => (EXPORT_FORMATS as readonly string[]).includes(f);

export function runListRow(file: string, r: GenerationRun): ApiResponse<'runs:list'>[number] {
  const { config, progress, result } = readRunRecord(file, r);
  return {
    id: r.id,
    status: r.status,
    outDir: r.outDir,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    progress,
    result,
    count: config.count,
    filter: config.filter ?? null,
    formats: config.formats?.filter(isFormat) ?? null,
  };
}
