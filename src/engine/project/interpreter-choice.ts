/**
 * Which interpreter labels for the project — generation, pre-labeling, uncertainty ranking, suggestions
 * (docs/interpreter.md, "The interpreter in use"). It is the user's choice: the studio's Train screen and
 * `--interpreter ID` pick one. Without a choice, and for interpreters trained after the choice was made,
 * one rule decides: a newer interpreter takes over only when its cross-validated mIoU is not lower than
 * the one in use. An interpreter without a cross-validated mIoU (its report has not arrived yet, or it
 * was trained without cross-validation) cannot show that, so it takes over only from one without a
 * mIoU either; the user can still pick it.
 */
import { z } from 'zod';
import { UserError } from '../../shared/errors';
import type { InterpreterRef } from '../../shared/compute-api';
import type { TrainedInterpreter } from '../../shared/interpreter-types';
import type { InterpreterSummary } from '../../shared/project-types';
import { readInterpreterRecord } from './interpreters';
import type { Project } from './project';

/** The project setting holding the user's choice: the interpreter's id and when it was chosen. */
export const INTERPRETER_SETTING = 'interpreterInUse';
const ChoiceSchema = z.object({ id: z.string().min(1), chosenAt: z.string() });

export interface InterpreterStanding {
  id: string;
  createdAt: string;
  members: number;
  miou: number | null;
  inUse: boolean;
  /** In use because the user picked it (not by the rule). */
  chosen: boolean;
  /** Why it is in use, or why a newer one is not: a sentence for lists. */
  note: string;
}

export interface UsableInterpreter {
  id: string;
  ref: InterpreterRef;
  trained: () => TrainedInterpreter;
}

interface Candidate {
  summary: InterpreterSummary;
  members: number;
  miou: number | null;
}

const pct = (m: number) => `${(m * 100).toFixed(1)} %`;

/** The project's interpreters for its current model, oldest first, with what the rule reads. */
function candidates(project: Project, modelSha256: string): Candidate[] {
  return project
    .listInterpreters()
    .filter((i) => i.modelSha256 === modelSha256)
    .reverse()
    .map((summary) => {
      const { config, metrics } = readInterpreterRecord(project.path, summary);
      return { summary, members: config.members, miou: metrics.miou };
    });
}

function storedChoice(project: Project): z.infer<typeof ChoiceSchema> | null {
  const parsed = ChoiceSchema.safeParse(project.getSetting(INTERPRETER_SETTING));
  return parsed.success ? parsed.data : null;
}

/** Whether `newer` takes over from `current` by default, and the sentence for the list when it does not. */
function takesOver(newer: Candidate, current: Candidate): { yes: boolean; note: string } {
  if (newer.miou === null && current.miou !== null)
    return {
      yes: false,
      note: `Not used yet: it has no cross-validated mIoU to compare with the ${pct(current.miou)} of the one in use.`,
    };
  if (newer.miou !== null && current.miou !== null && newer.miou < current.miou)
    return {
      yes: false,
      note: `Not used: its cross-validated mIoU ${pct(newer.miou)} is lower than the ${pct(current.miou)} of the one in use.`,
    };
  return { yes: true, note: '' };
}

/** Every interpreter of the project's model, newest first, with the one in use marked and why. */
export function interpreterStandings(project: Project, modelSha256: string): InterpreterStanding[] {
  const all = candidates(project, modelSha256);
  if (all.length === 0) return [];
  const choice = storedChoice(project);
  const chosen = choice ? all.find((c) => c.summary.id === choice.id) : undefined;
  const notes = new Map<string, string>();
  let current: Candidate;
  let contenders: Candidate[];
  if (chosen && choice) {
    current = chosen;
    // No date here: the server's clock and locale are not the browser's, and the list shows when each was trained.
    notes.set(chosen.summary.id, 'In use: you picked it.');
    contenders = all.filter((c) => Date.parse(c.summary.createdAt) > Date.parse(choice.chosenAt));
  } else {
    current = all[0];
    notes.set(current.summary.id, 'In use: the first interpreter trained.');
    contenders = all.slice(1);
  }
  for (const c of contenders) {
    const verdict = takesOver(c, current);
    if (verdict.yes) {
      // Said against the one it replaced, not as "the newest": a newer, worse one may come later and wait.
      notes.set(
        c.summary.id,
        current.miou !== null
          ? `In use: newer, and its cross-validated mIoU is not lower than the ${pct(current.miou)} of the one before.`
          : 'In use: newer than the one before, which had no cross-validated mIoU to compare with.',
      );
      notes.set(current.summary.id, 'Replaced by a newer interpreter; pick it to use it again.');
      current = c;
    } else notes.set(c.summary.id, verdict.note);
  }
  return all
    .map((c) => ({
      id: c.summary.id,
      createdAt: c.summary.createdAt,
      members: c.members,
      miou: c.miou,
      inUse: c === current,
      chosen: c === current && c === chosen,
      note: notes.get(c.summary.id) ?? 'Not in use; pick it to use it.',
    }))
    .reverse();
}

function usable(project: Project, id: string): UsableInterpreter {
  const it = project.listInterpreters().find((i) => i.id === id)!;
  // Checked now, so a damaged config is a sentence before any job starts, not a failure inside compute.
  const { config, metrics } = readInterpreterRecord(project.path, it);
  const trained = (): TrainedInterpreter => ({ config, weights: project.getInterpreter(it.id)!.weights, metrics });
  return { id: it.id, ref: { id: it.id, trained }, trained };
}

/** An interpreter of the project's model by id or by the start of its id (as `dgs info` shows it). */
export function findInterpreter(project: Project, modelSha256: string, idOrPrefix: string): string {
  const wanted = idOrPrefix.trim().toLowerCase();
  const matches = candidates(project, modelSha256).filter((c) => c.summary.id.toLowerCase().startsWith(wanted));
  if (wanted.length === 0 || matches.length === 0)
    throw new UserError(
      `${project.path} has no interpreter ${idOrPrefix} for its model; \`dgs info ${project.path}\` lists them.`,
    );
  if (matches.length > 1 && !matches.some((m) => m.summary.id.toLowerCase() === wanted))
    throw new UserError(
      `Several interpreters start with ${idOrPrefix}; give more of the id (\`dgs info\` lists them).`,
    );
  return (matches.find((m) => m.summary.id.toLowerCase() === wanted) ?? matches[0]).summary.id;
}

/**
 * The interpreter that labels for the project: `override` (an id or its start, `--interpreter`) when
 * given, else the one the user chose or the rule keeps; null when the model has none.
 */
export function interpreterInUse(project: Project, modelSha256: string, override?: string): UsableInterpreter | null {
  if (override !== undefined) return usable(project, findInterpreter(project, modelSha256, override));
  const inUse = interpreterStandings(project, modelSha256).find((s) => s.inUse);
  return inUse ? usable(project, inUse.id) : null;
}

/** Make `id` the interpreter in use from now on; null goes back to the rule alone (the newest that is not worse). */
export function chooseInterpreter(project: Project, modelSha256: string, id: string | null): void {
  if (id === null) return project.deleteSetting(INTERPRETER_SETTING);
  const found = findInterpreter(project, modelSha256, id);
  project.setSetting(INTERPRETER_SETTING, { id: found, chosenAt: new Date().toISOString() });
}
