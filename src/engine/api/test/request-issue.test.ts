/**
 * A refused request's sentence names the field and says what to type, for every channel's schema: the
 * number fields by their label and range, other fields by their title or key; never "please report".
 */
import { describe, expect, it } from 'vitest';
import { API_CHANNELS } from '../../../shared/api';
import { SAMPLES_TO_GENERATE } from '../../../shared/number-fields';
import { requestIssueSentence } from '../request-issue';

function refusal(channel: keyof typeof API_CHANNELS, payload: unknown): string {
  const schema = API_CHANNELS[channel].request;
  const r = schema.safeParse(payload);
  if (r.success) throw new Error(`${channel} accepted ${JSON.stringify(payload)}`);
  return requestIssueSentence(schema, payload, r.error.issues);
}

const generate = { outDir: '/tmp/x', count: 10, filter: 0.1, formats: [], resume: false };

describe('requestIssueSentence', () => {
  it.each([
    ['samples:add', { count: 0 }, 'Samples to add must be a whole number from 1 to 10,000, not 0.'],
    ['samples:add', { count: 2.5 }, 'Samples to add must be a whole number from 1 to 10,000, not 2.5.'],
    ['samples:add', { count: 100000 }, 'Samples to add must be a whole number from 1 to 10,000, not 100000.'],
    ['samples:add', {}, 'Samples to add is missing.'],
    ['train:start', { members: 0 }, 'Models in the ensemble must be a whole number from 1 to 64, not 0.'],
    ['train:start', { members: 100000 }, 'Models in the ensemble must be a whole number from 1 to 64, not 100000.'],
    [
      'generate:start',
      { ...generate, count: 1e9 },
      'Samples to keep must be a whole number from 1 to 100,000,000, not 1000000000.',
    ],
    [
      'generate:start',
      { ...generate, count: -3 },
      'Samples to keep must be a whole number from 1 to 100,000,000, not -3.',
    ],
    ['generate:start', { ...generate, outDir: '' }, 'Output folder must not be empty.'],
    [
      'generate:start',
      { ...generate, formats: ['tiff'] },
      'The field “formats 1” must be one of coco, voc, yolo (it was “tiff”).',
    ],
    ['project:labeler-copy', { file: '/x.dgs', labeler: ' ' }, 'Labeler must not be empty.'],
    ['app:set-author', { name: 7 }, 'Your name must be text, not 7.'],
  ] as const)('%s %j', (channel, payload, sentence) => {
    expect(refusal(channel, payload)).toBe(sentence);
  });

  it('names the field in every channel’s refusal and never asks to report a bug', () => {
    for (const channel of Object.keys(API_CHANNELS) as (keyof typeof API_CHANNELS)[]) {
      const r = API_CHANNELS[channel].request.safeParse(42);
      if (r.success) continue;
      const s = requestIssueSentence(API_CHANNELS[channel].request, 42, r.error.issues);
      expect(s).not.toMatch(/report/);
      expect(s).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('uses the same range as the form', () => {
    expect(refusal('generate:start', { ...generate, count: SAMPLES_TO_GENERATE.max + 1 })).toContain(
      'from 1 to 100,000,000',
    );
  });
});
