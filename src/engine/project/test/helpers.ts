/**
 * Test helpers for vitest: temp folders cleaned after each test, and file fingerprints.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { InterpreterTrainOptions } from '../../../shared/interpreter-types';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) {
    // Undo chmods made by read-only tests so the folder can be removed.
    fs.chmodSync(dir, 0o755);
    for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-project-test-'));
  made.push(dir);
  return dir;
}

/** Bytes and mtime of a file, to prove that it was not touched. */
export function fingerprint(file: string): { bytes: Buffer; mtimeMs: number; siblings: string[] } {
  const dir = path.dirname(file);
  return { bytes: fs.readFileSync(file), mtimeMs: fs.statSync(file).mtimeMs, siblings: fs.readdirSync(dir).sort() };
}

/** Training options as a stored interpreter's config records them (for interpreters written by tests). */
export const TRAIN_OPTIONS: InterpreterTrainOptions = {
  rule: 'heldout',
  members: 3,
  batchSize: 64,
  maxEpochs: 100,
  earlyStopFromEpoch: 4,
  patience: 50,
  heldoutPixels: 2048,
  heldoutEvery: 100,
  heldoutPatience: 4,
  heldoutMinDelta: 0.005,
  heldoutMinPixels: 393216,
  maxSteps: null,
  seed: 0,
  lr: 0.001,
  minClassFraction: 30 / (512 * 512),
  executionProviders: ['cpu'],
  chunkBytes: 1 << 26,
  cvFolds: 'auto',
  cvMembers: 3,
  cvMaxEpochs: 100,
  cvMaxSteps: null,
  threads: 0,
  workers: 'auto',
  featurePrecision: 'auto',
  featureMemoryBytes: 1 << 30,
};

export * from './tiny-data';
