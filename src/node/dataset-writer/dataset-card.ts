/**
 * README.md of a finished dataset: what made it (model, interpreter and its quality), what is in it
 * (classes, counts, filter, formats) and how to make it again. No dates: same run, same bytes.
 */
import type { RunPlan } from './run-plan';

export interface CardCounts {
  generated: number;
  kept: number;
  filtered: number;
  /** Highest uncertainty score among kept samples (the filter's threshold), null if none filtered. */
  threshold: number | null;
}

export function defaultRegenerateCommand(plan: RunPlan): string {
  const formats = ['png', ...plan.formats].join(',');
  return `dgs generate <project.dgs> --count ${plan.count} --out <folder> --filter ${plan.filter} --format ${formats} --seed ${plan.seed}`;
}

function fence(value: unknown): string {
  return '```json\n' + JSON.stringify(value, null, 2) + '\n```';
}

export function datasetCard(plan: RunPlan, counts: CardCounts): string {
  const quality = plan.interpreterQuality;
  const pct = (plan.filter * 100).toFixed(1).replace(/\.0$/, '');
  const lines = [
    '# Synthetic segmentation dataset (DatasetGAN Studio)',
    '',
    'Images sampled from a StyleGAN generator and labeled per pixel by a DatasetGAN style interpreter',
    '(majority vote of an MLP ensemble). File layout: see `docs/dataset-format.md` of DatasetGAN Studio.',
    '',
    '## Source',
    '',
    `- Model bundle sha256: \`${plan.modelSha256}\``,
    `- Interpreter: \`${plan.interpreterId}\``,
    `- Truncation ψ: ${plan.psi}`,
    `- Resolution: ${plan.resolution} × ${plan.resolution}, latent size ${plan.zDim}`,
    `- Seeds: sample k has seed (${plan.seed} + k) mod 2^32; every z is in \`latents.bin\``,
    '',
    '## Counts',
    '',
    `- Generated: ${counts.generated}`,
    `- Kept: ${counts.kept}`,
    `- Filtered out: ${counts.filtered} (the ${pct} % most uncertain, by mean of the top 10 % per-pixel JS divergence;` +
      ' their files are in `filtered/`, marked `filtered` in `manifest.jsonl`)',
    counts.threshold === null
      ? '- Uncertainty threshold: none'
      : `- Highest kept uncertainty score: ${counts.threshold}`,
    `- Formats: png${plan.formats.map((f) => ', ' + f).join('')}`,
    '',
    '## Classes',
    '',
    '| id | name | colour |',
    '|---|---|---|',
    ...plan.classes.map((c) => `| ${c.index} | ${c.name.replace(/\|/g, '\\|')} | ${c.color} |`),
    '',
    '## Interpreter quality',
    '',
    quality === undefined || quality === null ? 'Not reported.' : fence(quality),
    '',
    '## Regenerate',
    '',
    '```sh',
    defaultRegenerateCommand(plan),
    '```',
    '',
  ];
  return lines.join('\n');
}
