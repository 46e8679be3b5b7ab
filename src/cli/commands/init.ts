import { UserError } from '../../shared/errors';
import { PRESETS, classSpecsFromNames, presetClasses, type ClassSpec } from '../../shared/presets';
import { listOption, stringOption } from '../args';
import { knownAuthor } from '../author';
import type { Command } from '../command';

function classesFrom(classes: string[] | undefined, preset: string | undefined): ClassSpec[] {
  if (classes && preset) throw new UserError('Give either --classes or --preset, not both.');
  if (preset) {
    const specs = presetClasses(preset);
    if (!specs) throw new UserError(`There is no preset "${preset}"; presets are ${Object.keys(PRESETS).join(', ')}.`);
    return specs;
  }
  const names = classes ?? ['background', 'object'];
  if (names.length < 2) {
    throw new UserError(
      `--classes names ${names.length} class; name at least two, class 0 first (the pixel value 0 of your label maps, e.g. background).`,
    );
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new UserError(`The class "${n}" is named twice in --classes; give each class once.`);
    seen.add(n);
  }
  if (names.length > 255) throw new UserError(`A project holds at most 255 classes; --classes names ${names.length}.`);
  return classSpecsFromNames(names);
}

export const initCommand: Command = {
  words: ['init'],
  summary: 'create a project file',
  positionals: [1, 1],
  options: {
    classes: { type: 'string' },
    preset: { type: 'string' },
    model: { type: 'string' },
    name: { type: 'string' },
    author: { type: 'string' },
  },
  usage: `
Usage: dgs init <file.dgs> [--classes a,b,c | --preset NAME] [--model <bundle> | --model default] [--name TEXT] [--author NAME]

Create a new project file. Classes: --classes names them in the order of their ids — the first is
class 0, the pixel value 0 of your label maps (nothing is added in front; class 0 is also where specks
too small to be a part go at training, so it is usually "background") — or --preset takes one of:
${Object.keys(PRESETS).join(', ')}. Default: background, object.
--model embeds a model bundle (a folder with manifest.json, mapping.onnx, synthesis.onnx; "default" is
the built-in demo model, whose 10 part classes are used unless --classes or --preset says otherwise).
Without --model the project has no generator yet. The project records NAME as its creator (default:
$DGS_AUTHOR, or the name you gave before; none when unknown).`,
  async run({ positionals, values, out }) {
    const { createProject } = await import('../../engine/jobs/create-project');
    const { demoClasses } = await import('../../engine/jobs/demo');
    const { withCompute } = await import('../session');
    const file = positionals[0];
    const model = stringOption(values.model);
    // The built-in demo model comes with its own part classes; use them unless the user names others.
    const classes =
      model === 'default' && values.classes === undefined && values.preset === undefined
        ? demoClasses()
        : classesFrom(listOption(values.classes), stringOption(values.preset));
    const { bundle } = await withCompute((compute) =>
      createProject(compute, {
        file,
        name: stringOption(values.name),
        classes,
        model,
        author: knownAuthor(values) ?? undefined,
      }),
    );
    out(
      `Created ${file} with ${classes.length} classes${bundle ? ` and model ${bundle.manifest.name} (${bundle.sha256.slice(0, 12)})` : ''}.`,
    );
  },
};
