/**
 * The studio's long-running work as jobs: create a project (converting a checkpoint when asked),
 * sample, train, generate. Each runs the same engine job the CLI runs, with the host's compute, and
 * reports through the job registry. Saving annotations never waits for any of them: the project file
 * stays with main, and compute works on copies of what it needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ApiParsedRequest } from '../../shared/api';
import { UserError } from '../../shared/errors';
import { QUICK_TRAIN_DEFAULTS } from '../../shared/interpreter-types';
import { checkNoEarlierRun } from '../../node/dataset-writer';
import { convertCheckpoint } from '../jobs/convert-checkpoint';
import { checkedBundle, createProject } from '../jobs/create-project';
import { parseManifest } from '../../node/bundle/bundle';
import { generateForProject } from '../jobs/generate-project';
import { addSamples } from '../jobs/sample';
import { trainProject } from '../jobs/train-project';
import { suggestSamples } from '../jobs/suggest';
import type { StudioHost } from './studio-host';

/**
 * The New project wizard's model, checked when it is chosen rather than at Create: a bundle folder is
 * read and checked by compute (graphs and one forward pass); a checkpoint must be a .pkl/.pt file (it
 * is converted at Create). Returns what it is, for the wizard to show; a sentence when it cannot be used.
 */
export async function checkModelChoice(
  host: StudioHost,
  kind: 'bundle' | 'checkpoint',
  chosen: string,
): Promise<string> {
  // Where this host may not read models (`dgs serve` outside its folders), said now, not at Create.
  const abs = host.services.place(chosen.trim(), 'model');
  if (!fs.existsSync(abs))
    throw new UserError(`There is nothing at ${abs}; choose the model ${kind === 'bundle' ? 'folder' : 'file'} again.`);
  if (kind === 'checkpoint') {
    if (!fs.statSync(abs).isFile() || !/\.(pkl|pt|pth)$/i.test(abs))
      throw new UserError(
        `The checkpoint ${abs} is not a .pkl, .pt or .pth file; choose a StyleGAN checkpoint (NVIDIA stylegan2-ada .pkl, rosinality .pt).`,
      );
    return `A checkpoint of ${(fs.statSync(abs).size / 1e6).toFixed(1)} MB, converted when the project is created.`;
  }
  const bundle = await checkedBundle(host.compute, abs);
  const m = parseManifest(bundle.manifestJson, `the model bundle ${abs}`);
  return `${m.name}: ${m.architecture}, ${m.resolution}² images.`;
}

export async function startCreate(host: StudioHost, req: ApiParsedRequest<'project:create'>): Promise<string> {
  const file = path.resolve(req.file);
  if (!host.services.mayUseProject(file))
    throw new UserError(`This studio can create only the project it was started with, not ${file}.`);
  if (!/\.dgs$/i.test(file)) throw new UserError('A project file name ends in .dgs; choose a name like faces.dgs.');
  if (host.jobs.busy('create')) throw new UserError('A project is being created already; wait for it to finish.');
  const modelPath = req.model.kind === 'demo' ? null : host.services.place(req.model.path, 'model');
  // The project open now closes first (its jobs are cancelled), so the new one replaces it.
  await host.closeProject();
  return host.jobs.start('create', async ({ signal, progress }) => {
    let converted: Awaited<ReturnType<typeof convertCheckpoint>> | null = null;
    try {
      let model: string;
      if (req.model.kind === 'checkpoint') {
        progress({ phase: 'Converting the checkpoint (this can take a few minutes)…' });
        converted = await convertCheckpoint(modelPath!, { signal, onLine: (line) => progress({ phase: line }) });
        model = converted.dir;
      } else {
        model = modelPath ?? 'default';
      }
      progress({ phase: 'Checking the model…' });
      await createProject(host.compute, {
        file,
        name: req.name,
        model,
        psi: req.psi,
        classes: req.classes.map((c) => ({ name: c.name, color: c.color.toLowerCase(), hotkey: c.hotkey })),
      });
    } finally {
      converted?.dispose();
    }
    progress({ phase: 'Opening the project…' });
    return host.openProject(file);
  });
}

export function startSample(host: StudioHost, req: ApiParsedRequest<'samples:add'>): string {
  const project = host.writable();
  host.model();
  return host.jobs.start('sample', async ({ signal, progress }) => {
    const r = await addSamples(project, host.compute, {
      count: req.count,
      seed: req.seed,
      psi: req.psi,
      signal,
      onProgress: progress,
      // Credited to the person at the studio (the project's author), never to "studio".
      creator: host.currentAuthor ?? undefined,
    });
    host.changed(
      'samples',
      r.added.map((s) => s.id),
    );
    return { added: r.added.length, skipped: r.skipped };
  });
}

export function startTrain(host: StudioHost, req: ApiParsedRequest<'train:start'>): string {
  const project = host.writable();
  host.model();
  if (host.jobs.busy('train'))
    throw new UserError('The interpreter is training already; cancel that run or wait for it to finish.');
  if (project.listAnnotations().length < 2)
    throw new UserError('Annotate at least 2 samples (DatasetGAN uses 16–30) before training.');
  return host.jobs.start('train', async ({ signal, progress }) => {
    let stored = false;
    try {
      const { id, trained } = await trainProject(project, host.compute, {
        options: {
          ...(req.quick ? QUICK_TRAIN_DEFAULTS : {}),
          ...(req.members !== undefined ? { members: req.members } : {}),
          ...(req.maxSteps !== undefined ? { maxSteps: req.maxSteps, cvMaxSteps: Math.min(req.maxSteps, 400) } : {}),
        },
        signal,
        onProgress: progress,
        // The ensemble is usable now (pre-label, suggest, generate); the list shows it with its report pending.
        onStored: () => {
          stored = true;
          host.changed('interpreters');
        },
      });
      return { interpreterId: id, miou: trained.metrics.miou };
    } finally {
      // Its report is in, or its run stopped: either way its record changed.
      if (stored) host.changed('interpreters');
    }
  });
}

export function startGenerate(host: StudioHost, req: ApiParsedRequest<'generate:start'>): string {
  const project = host.writable();
  host.model();
  if (host.jobs.busy('generate'))
    throw new UserError('A dataset is being generated already; cancel it or wait for it to finish.');
  const outDir = host.userPath(req.outDir, 'output');
  // Said before the job starts, so the studio can offer Resume next to the sentence.
  checkNoEarlierRun(outDir, req.resume);
  return host.jobs.start('generate', async ({ signal, progress }) => {
    try {
      return await generateForProject(project, host.compute, {
        outDir,
        count: req.count,
        filter: req.filter,
        formats: [...req.formats],
        resume: req.resume,
        psi: req.psi,
        seed: 0,
        batch: 8,
        signal,
        onProgress: progress,
      });
    } finally {
      host.changed('runs');
    }
  });
}

export function startSuggest(host: StudioHost, req: ApiParsedRequest<'samples:suggest'>): string {
  const project = host.writable();
  host.model();
  if (host.jobs.busy('suggest')) throw new UserError('Already looking for the next uncertain sample; one moment.');
  return host.jobs.start('suggest', async ({ signal, progress }) => {
    const r = await suggestSamples(project, host.compute, {
      count: 1,
      pool: req.pool ?? 32,
      add: true,
      creator: host.currentAuthor ?? undefined,
      signal,
      onProgress: progress,
    });
    host.changed(
      'samples',
      r.added.map((s) => s.id),
    );
    const [pick] = r.picks;
    const added =
      r.added.find((s) => s.seed === pick.seed) ??
      project.listSamples().find((s) => s.seed === pick.seed && s.psi === r.psi)!;
    return { sampleId: added.id, seed: pick.seed, uncertainty: pick.uncertainty };
  });
}
