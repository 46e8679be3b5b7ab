/**
 * The built-in demo (README's main job): the demo project is built from committed files
 * (assets/demo-project: classes, seeds, label PNGs from the renderer; assets/demo-model.dgsmodel), its
 * interpreter trained if it has none, and a labeled dataset generated with a contact sheet.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../../shared/errors';
import { assetsDir } from '../bundle/assets';
import { readBundleDir } from '../bundle/bundle';
import { Generator } from '../../compute/generator/generator';
import { importLabels, readLabelDir } from '../labels/label-files';
import { Project } from '../project';

const DemoClasses = z.array(z.object({ name: z.string(), color: z.string(), hotkey: z.string().nullable().optional() }));
const DemoSamples = z.array(z.object({ seed: z.number().int().nonnegative(), psi: z.number() }));

/** The demo model's part classes (assets/demo-project/classes.json), index = class id. */
export function demoClasses(): z.infer<typeof DemoClasses> {
  return DemoClasses.parse(JSON.parse(fs.readFileSync(path.join(assetsDir(), 'demo-project', 'classes.json'), 'utf8')));
}

/** Create the demo project at `file` (which must not exist) from the committed assets. */
export async function buildDemoProject(file: string): Promise<Project> {
  const dir = path.join(assetsDir(), 'demo-project');
  const classes = demoClasses();
  const samples = DemoSamples.parse(JSON.parse(fs.readFileSync(path.join(dir, 'samples.json'), 'utf8')));
  const bundle = readBundleDir(path.join(assetsDir(), 'demo-model.dgsmodel'));
  const gen = await Generator.load(bundle, { provider: 'cpu' });
  const tmp = `${file}.building`;
  fs.rmSync(tmp, { force: true });
  const project = Project.create(tmp, { name: 'Demo: cartoon faces', classes, author: 'demo' });
  try {
    project.embedModel({ sha256: bundle.sha256, manifestJson: bundle.manifestJson, mapping: bundle.mapping, synthesis: bundle.synthesis });
    const z = gen.latents(samples.map((s) => s.seed));
    const { zDim, wDim } = gen.manifest;
    const w = await gen.map(z, samples.length);
    project.addSamples(samples.map((s, i) => ({
      seed: s.seed,
      psi: s.psi,
      z: z.slice(i * zDim, (i + 1) * zDim),
      w: w.slice(i * wDim, (i + 1) * wDim),
      creator: 'demo',
    })));
    const resolution = gen.manifest.resolution;
    importLabels(project, readLabelDir(project, path.join(dir, 'annotations'), resolution), resolution, 'renderer');
  } catch (e) {
    project.close();
    fs.rmSync(tmp, { force: true });
    throw e;
  } finally {
    await gen.close();
  }
  project.close();
  // The finished file appears under its name at once, so an interrupted build never leaves half a project.
  fs.renameSync(tmp, file);
  return Project.open(file);
}

export function demoPaths(outDir: string) {
  return { project: path.join(outDir, 'demo.dgs'), dataset: path.join(outDir, 'dataset') };
}

export function checkDemoOut(outDir: string): void {
  if (fs.existsSync(outDir) && !fs.statSync(outDir).isDirectory()) throw new UserError(`${outDir} is a file; give --out a folder for the demo.`);
}
