/**
 * The built-in demo (README's main job): the demo project is built from committed files
 * (assets/demo-project: classes, seeds, label PNGs from the renderer; assets/demo-model.dgsmodel), its
 * interpreter trained if it has none, and a labeled dataset generated with a contact sheet. `dgs demo`
 * turns its events into sentences.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Compute } from '../../shared/compute-api';
import type { GenerationProgress, GenerationSummary } from '../../shared/dataset-types';
import { UserError } from '../../shared/errors';
import type { InterpreterMetrics, InterpreterProgress, InterpreterTrainOptions } from '../../shared/interpreter-types';
import { assetsDir } from '../../node/bundle/assets';
import { readBundleDir } from '../../node/bundle/bundle';
import { importLabels, readLabelDir } from '../labels/label-files';
import { Project } from '../project';
import { projectModel } from '../project/model';
import { interpreterInUse } from '../project/interpreter-choice';
import { buildProjectFile } from './create-project';
import { generateForProject } from './generate-project';
import { qualityReport, trainProject, type QualityReport } from './train-project';

const DemoClasses = z.array(
  z.object({ name: z.string(), color: z.string(), hotkey: z.string().nullable().optional() }),
);
const DemoSamples = z.array(z.object({ seed: z.number().int().nonnegative(), psi: z.number() }));

/** The demo model's part classes (assets/demo-project/classes.json), index = class id. */
export function demoClasses(): { name: string; color: string; hotkey: string | null }[] {
  const parsed = DemoClasses.parse(
    JSON.parse(fs.readFileSync(path.join(assetsDir(), 'demo-project', 'classes.json'), 'utf8')),
  );
  return parsed.map((c) => ({ name: c.name, color: c.color, hotkey: c.hotkey ?? null }));
}

/** Create the demo project at `file` (which must not exist) from the committed assets. */
export async function buildDemoProject(file: string, compute: Compute): Promise<void> {
  const dir = path.join(assetsDir(), 'demo-project');
  const samples = DemoSamples.parse(JSON.parse(fs.readFileSync(path.join(dir, 'samples.json'), 'utf8')));
  const bundle = readBundleDir(path.join(assetsDir(), 'demo-model.dgsmodel'));
  await buildProjectFile(
    file,
    { name: 'Demo: cartoon faces', classes: demoClasses(), author: 'demo' },
    async (project) => {
      project.embedModel({
        sha256: bundle.sha256,
        manifestJson: bundle.manifestJson,
        mapping: bundle.mapping,
        synthesis: bundle.synthesis,
      });
      const { ref, manifest } = projectModel(project, 'cpu');
      const { zDim, wDim, resolution } = manifest;
      // Each sample keeps its own ψ; the latents do not depend on it.
      const { z: zs, w: ws } = await compute.sample(ref, {
        seeds: samples.map((s) => s.seed),
        psi: manifest.defaultPsi,
        images: false,
      });
      project.addSamples(
        samples.map((s, i) => ({
          seed: s.seed,
          psi: s.psi,
          z: zs.slice(i * zDim, (i + 1) * zDim),
          w: ws.slice(i * wDim, (i + 1) * wDim),
          creator: 'demo',
        })),
      );
      // One honest author for everything the demo ships: its samples, classes and annotations.
      importLabels(project, readLabelDir(project, path.join(dir, 'annotations'), resolution), resolution, 'demo');
    },
  );
}

export function demoPaths(outDir: string) {
  return { project: path.join(outDir, 'demo.dgs'), dataset: path.join(outDir, 'dataset') };
}

export type DemoEvent =
  | { type: 'project'; file: string; built: boolean; samples: number; annotated: number }
  | { type: 'generator'; name: string; resolution: number; provider: string; reason: string }
  | { type: 'training'; progress: InterpreterProgress }
  | { type: 'trained'; reused: boolean; members: number; metrics: InterpreterMetrics; report: QualityReport }
  | { type: 'generating'; progress: GenerationProgress };

export interface DemoOptions {
  outDir: string;
  count: number;
  provider?: string;
  trainOptions: Partial<InterpreterTrainOptions>;
  onEvent?: (e: DemoEvent) => void;
  signal?: AbortSignal;
}

export interface DemoResult {
  project: string;
  dataset: string;
  summary: GenerationSummary;
}

export async function runDemo(compute: Compute, opts: DemoOptions): Promise<DemoResult> {
  const outDir = path.resolve(opts.outDir);
  if (fs.existsSync(outDir) && !fs.statSync(outDir).isDirectory())
    throw new UserError(`${outDir} is a file; give --out a folder for the demo.`);
  fs.mkdirSync(outDir, { recursive: true });
  const paths = demoPaths(outDir);
  const emit = opts.onEvent ?? (() => undefined);
  const built = !fs.existsSync(paths.project);
  if (built) await buildDemoProject(paths.project, compute);
  const project = Project.open(paths.project);
  try {
    emit({
      type: 'project',
      file: paths.project,
      built,
      samples: project.listSamples().length,
      annotated: project.listAnnotations().length,
    });
    const { ref, manifest } = projectModel(project, opts.provider);
    const provider = await compute.model(ref);
    emit({
      type: 'generator',
      name: manifest.name,
      resolution: manifest.resolution,
      provider: provider.name,
      reason: provider.reason,
    });
    const existing = interpreterInUse(project, ref.sha256);
    if (existing) {
      const t = existing.trained();
      emit({
        type: 'trained',
        reused: true,
        members: t.config.members,
        metrics: t.metrics,
        report: qualityReport(project, t.metrics),
      });
    } else {
      const { trained, report } = await trainProject(project, compute, {
        options: opts.trainOptions,
        provider: opts.provider,
        signal: opts.signal,
        onProgress: (progress) => emit({ type: 'training', progress }),
      });
      emit({ type: 'trained', reused: false, members: trained.config.members, metrics: trained.metrics, report });
    }
    const resume = fs.existsSync(paths.dataset) && fs.readdirSync(paths.dataset).length > 0;
    const summary = await generateForProject(project, compute, {
      outDir: paths.dataset,
      count: opts.count,
      filter: 0.1,
      formats: ['coco', 'voc', 'yolo'],
      seed: 0,
      batch: 8,
      resume,
      provider: opts.provider,
      signal: opts.signal,
      onProgress: (progress) => emit({ type: 'generating', progress }),
    });
    return { project: paths.project, dataset: paths.dataset, summary };
  } finally {
    project.dispose();
  }
}
