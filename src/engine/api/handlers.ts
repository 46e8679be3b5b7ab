/**
 * The API's main-side implementation, independent of the transport (Electron IPC or `dgs serve`'s
 * HTTP). Each handler takes a request its channel's schema already validated and returns the response.
 * Work that takes more than a moment starts a job (studio-jobs.ts) and answers its id.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ApiChannel, ApiParsedRequest, ApiResponse } from '../../shared/api';
import { UserError } from '../../shared/errors';
import { shapesForEditing } from '../../shared/annotation-shapes';
import { demoClasses } from '../jobs/demo';
import { exportGraphForProject } from '../jobs/export-graph';
import { APP_VERSION } from '../project/app-version';
import { readInterpreterRecord } from '../project/interpreters';
import { chooseInterpreter, interpreterInUse, interpreterStandings } from '../project/interpreter-choice';
import { contactSheetOf, runListRow } from './run-files';
import { labelHandlers } from './label-handlers';
import { sharingHandlers } from './sharing-handlers';
import { startQuickCv } from './quick-cv';
import { checkModelChoice, startCreate, startGenerate, startSample, startSuggest, startTrain } from './studio-jobs';
import type { StudioHost } from './studio-host';

export type Handlers = { [C in ApiChannel]: (request: ApiParsedRequest<C>) => Promise<ApiResponse<C>> };

export function createHandlers(host: StudioHost): Handlers {
  const { services } = host;
  return {
    'app:info': async () => ({
      version: APP_VERSION,
      platform: process.platform,
      transport: services.transport,
      canChooseFiles: services.transport === 'electron',
      demoClasses: demoClasses(),
    }),
    'project:recent': async () => services.recent.list().map((r) => ({ ...r, exists: fs.existsSync(r.file) })),
    'project:open': async ({ file }) => {
      const chosen = file ?? (await services.chooseProjectFile());
      return chosen ? host.openProject(chosen) : null;
    },
    'project:close': async () => {
      await host.closeProject();
      return {};
    },
    'project:summary': async () => host.summary(),
    'project:choose-new-file': async () => services.chooseNewProjectFile(),
    'model:check': async ({ kind, path: chosen }) => ({
      description: await checkModelChoice(host, kind, chosen),
    }),
    'project:create': async (req) => ({ jobId: await startCreate(host, req) }),
    'samples:list': async () => host.sampleRows(),
    'samples:add': async (req) => ({ jobId: startSample(host, req) }),
    'samples:scores': async () => {
      const { project } = host.open;
      const { ref } = host.model();
      const latest = interpreterInUse(project, ref.sha256);
      if (!latest) throw new UserError('Train an interpreter first; it ranks the samples by how unsure it is.');
      const samples = project.listSamples();
      const { score } = await host.compute.label(ref, latest.ref, {
        input: { items: samples.map((s) => ({ w: project.getLatents(s.id).w, psi: s.psi })) },
        want: {},
      });
      return { scores: Object.fromEntries(samples.map((s, i) => [s.id, score[i]])) };
    },
    'sample:image': async ({ sampleId }) => {
      const { project } = host.open;
      const { ref, manifest } = host.model();
      const png = await host.images.png(project, host.compute, ref, manifest.resolution, sampleId);
      return { png, width: manifest.resolution, height: manifest.resolution };
    },
    'annotation:get': async ({ sampleId }) => {
      const { project } = host.open;
      const a = project.getAnnotation(sampleId);
      if (!a) return null;
      const shapes = shapesForEditing(a.shapes, {
        what: `The list of vector shapes of this sample's annotation in ${project.path}`,
        fix: 'its label map is intact and opens without them, so redraw the polygons to edit them as shapes again',
      });
      if (shapes.dropped) host.emit({ type: 'notice', message: shapes.dropped });
      return {
        width: a.width,
        height: a.height,
        labelMap: a.labelMap,
        shapes: shapes.envelope,
        revision: a.revision,
        author: a.author,
      };
    },
    'annotation:save': async ({ sampleId, labelMap, shapes, baseRevision, author }) => {
      const project = host.writable();
      const R = host.model().manifest.resolution;
      if (labelMap.length !== R * R)
        throw new UserError(`A label map for this project has ${R}×${R} pixels; this one has ${labelMap.length}.`);
      const saved = project.saveAnnotation(sampleId, { width: R, height: R, labelMap, shapes, author }, baseRevision);
      host.annotationSaved(sampleId);
      return { revision: saved.revision };
    },
    ...labelHandlers(host),
    'classes:save': async ({ classes }) => {
      host.writable().setClasses(
        classes.map((c) => ({
          id: c.id,
          name: c.name,
          color: c.color.toLowerCase(),
          hotkey: c.hotkey,
          locked: c.locked,
        })),
      );
      host.changed('classes');
      return host.summary()!.classes;
    },
    'train:start': async (req) => ({ jobId: startTrain(host, req) }),
    'label:predict': async ({ sampleId }) => {
      const { project } = host.open;
      const { ref } = host.model();
      const latest = interpreterInUse(project, ref.sha256);
      const sample = project.getSample(sampleId);
      if (!latest || !sample) return null;
      const out = await host.compute.label(ref, latest.ref, {
        input: { items: [{ w: project.getLatents(sampleId).w, psi: sample.psi }] },
        want: { labels: true, uncertainty: true },
      });
      return { labels: out.labels[0], uncertainty: out.uncertainty[0], interpreterId: latest.id };
    },
    'wand:select': async ({ sampleId, ...req }) => {
      const { project } = host.open;
      const { ref } = host.model();
      const sample = project.getSample(sampleId);
      if (!sample) throw new UserError('That sample is no longer in the project; pick another one.');
      const guide = interpreterInUse(project, ref.sha256);
      const latent = { w: project.getLatents(sampleId).w, psi: sample.psi };
      return host.compute.wand(ref, guide?.ref ?? null, { sampleKey: sampleId, latent, ...req });
    },
    'samples:suggest': async (req) => ({ jobId: startSuggest(host, req) }),
    'train:quick-cv': async () => ({ jobId: startQuickCv(host) }),
    'interpreters:list': async () => {
      const { project } = host.open;
      const standing = new Map(interpreterStandings(project, host.model().ref.sha256).map((s) => [s.id, s] as const));
      return project.listInterpreters().map((it) => {
        const { config, metrics: m } = readInterpreterRecord(project.path, it);
        return {
          id: it.id,
          createdAt: it.createdAt,
          members: config.members,
          miou: m.miou,
          perClass: m.perClass,
          provider: it.provider,
          wallSeconds: it.wallSeconds,
          folds: m.folds,
          report: m.report ?? (m.miou === null ? 'none' : 'done'),
          inUse: standing.get(it.id)?.inUse ?? false,
          chosen: standing.get(it.id)?.chosen ?? false,
          note: standing.get(it.id)?.note ?? 'Trained for another model; it cannot label for this one.',
        };
      });
    },
    'interpreters:use': async ({ id }) => {
      chooseInterpreter(host.writable(), host.model().ref.sha256, id);
      host.changed('interpreters');
      return {};
    },
    'generate:start': async (req) => ({ jobId: startGenerate(host, req) }),
    'runs:list': async () => host.open.project.listGenerationRuns().map((r) => runListRow(host.open.project.path, r)),
    'run:contact-sheet': async ({ runId }) => contactSheetOf(host.open.project, runId),
    'graph:export': async (req) => {
      const r = await exportGraphForProject(host.open.project, host.compute, {
        out: path.resolve(req.file),
        resolution: req.resolution,
        overwrite: req.overwrite,
        replaceHint: 'tick "Replace the file if it exists"',
      });
      return { file: r.file, bytes: r.bytes, resolution: r.resolution, classes: r.classes };
    },
    'job:cancel': async ({ jobId }) => {
      host.jobs.cancel(jobId);
      return {};
    },
    'jobs:list': async () => host.jobs.list(),
    'dialog:choose-folder': async ({ purpose }) => services.chooseFolder(purpose),
    'dialog:choose-file': async ({ purpose }) => services.chooseFile(purpose),
    ...sharingHandlers(host),
    'shell:open-folder': async ({ path: dir }) => {
      const known = host.open.project.listGenerationRuns().some((r) => r.outDir === dir);
      if (!known) throw new UserError("Only a generation run's output folder can be opened from here.");
      await services.openFolder(dir);
      return {};
    },
  };
}
