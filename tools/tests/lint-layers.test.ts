/**
 * The layer rules of eslint.config.js, run through ESLint's own API on code placed in each layer: a
 * wrong import must fail the lint, the allowed ones must pass.
 */
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ['src/main/x.ts', "import * as ort from 'onnxruntime-node';\nvoid ort;", /no onnxruntime/],
    [
      'src/main/x.ts',
      "import { Generator } from '../compute/generator/generator';\nvoid Generator;",
      /no compute code/,
    ],
    ['src/engine/x.ts', "import { app } from 'electron';\nvoid app;", /no electron/],
    [
      'src/engine/x.ts',
      "import { openSession } from '../compute/runtime/execution-provider';\nvoid openSession;",
      /imports only src\/shared/,
    ],
    ['src/compute/x.ts', "import { app } from 'electron';\nvoid app;", /no electron/],
    ['src/cli/x.ts', "import { registerApi } from '../main/ipc';\nvoid registerApi;", /never the Electron shell/],
    [
      'src/renderer/src/x.ts',
      "import { Project } from '../../engine/project';\nvoid Project;",
      /imports only src\/shared/,
    ],
    ['src/renderer/src/x.ts', "import fs from 'node:fs';\nvoid fs;", /has no Node/],
    ['src/shared/x.ts', "import fs from 'node:fs';\nvoid fs;", /no Node built-ins/],
    [
      'src/shared/x.ts',
      "import { Project } from '../engine/project';\nvoid Project;",
      /must not depend on other layers/,
    ],
    // compute builds on src/shared and src/node only, never on the host side
    ['src/compute/x.ts', "import { Project } from '../engine/project';\nvoid Project;", /never the host side/],
    [
      'src/compute/x.ts',
      "import { trainProject } from '../engine/jobs/train-project';\nvoid trainProject;",
      /never the host side/,
    ],
    // the Node helpers may not reach up into the host side or compute
    ['src/node/x.ts', "import { Project } from '../engine/project';\nvoid Project;", /imports only src\/shared/],
    [
      'src/node/x.ts',
      "import { Generator } from '../compute/generator/generator';\nvoid Generator;",
      /imports only src\/shared/,
    ],
    ['src/node/x.ts', "import Database from 'better-sqlite3';\nvoid Database;", /no native modules/],
    // the canvas's model and tools have no React, Fabric or DOM
    ['src/renderer/src/canvas/model/x.ts', "import { useState } from 'react';\nvoid useState;", /no React, Fabric/],
    ['src/renderer/src/canvas/tools/brush/x.ts', "import { Canvas } from 'fabric';\nvoid Canvas;", /no React, Fabric/],
    [
      'src/renderer/src/canvas/tools/x.ts',
      "import { FabricStage } from '../view/fabric-stage';\nvoid FabricStage;",
      /view builds on the model/,
    ],
  ])('%s refuses %s', async (file, code, why) => {
    const found = await problems(file, code);
    expect(found.length).toBe(1);
    expect(found[0]).toMatch(why);
  });

  it.each([
    [
      'src/main/x.ts',
      "import { app } from 'electron';\nimport { Project } from '../engine/project';\nvoid app; void Project;",
    ],
    [
      'src/cli/x.ts',
      "import { Project } from '../engine/project';\nimport { Generator } from '../compute/generator/generator';\nvoid Project; void Generator;",
    ],
    [
      'src/compute/x.ts',
      "import * as ort from 'onnxruntime-node';\nimport { encodeRgbPng } from '../node/io/png';\nvoid ort; void encodeRgbPng;",
    ],
    ['src/renderer/src/x.ts', "import { API_CHANNELS } from '../../shared/api';\nvoid API_CHANNELS;"],
    ['src/compute/x.ts', "import { WorkerConnection } from '../node/worker-rpc';\nvoid WorkerConnection;"],
    ['src/node/x.ts', "import { UserError } from '../shared/errors';\nvoid UserError;"],
    ['src/engine/x.ts', "import { runGeneration } from '../node/dataset-writer';\nvoid runGeneration;"],
    ['src/renderer/src/canvas/tools/x.ts', "import { StateNode } from '../model/state-node';\nvoid StateNode;"],
  ])('%s allows its own imports', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });

  it.each([
    ['src/renderer/src/canvas/model/x.ts', 'export const w = document.body;'],
    ['src/renderer/src/canvas/tools/x.ts', 'export const w = window.innerWidth;'],
  ])('%s refuses the DOM', async (file, code) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    const found = result.messages.filter((m) => m.ruleId === 'no-restricted-globals').map((m) => m.message);
    expect(found).toEqual([expect.stringMatching(/no DOM/)]);
  });
});
