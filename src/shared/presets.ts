/**
 * Label class presets. Index = class id in label maps; 0 is always background.
 * Face-34 and Car-20 are DatasetGAN's lists verbatim (nv-tlabs/datasetGAN_release utils/data_util.py,
 * spelling included). DatasetGAN's release does not name its 16 cat classes (its code passes
 * class_name=None for cats); `cat16` uses the 15 cat part names published by yandex-research/
 * ddpm-segmentation for the same DatasetGAN cat annotations, plus "other" for the 16th id.
 */
import { paletteColor } from './palette';

export interface ClassSpec {
  name: string;
  color: string;
  hotkey: string | null;
}

const FACE_34 = [
  'background',
  'head',
  'head***cheek',
  'head***chin',
  'head***ear',
  'head***ear***helix',
  'head***ear***lobule',
  'head***eye***botton lid',
  'head***eye***eyelashes',
  'head***eye***iris',
  'head***eye***pupil',
  'head***eye***sclera',
  'head***eye***tear duct',
  'head***eye***top lid',
  'head***eyebrow',
  'head***forehead',
  'head***frown',
  'head***hair',
  'head***hair***sideburns',
  'head***jaw',
  'head***moustache',
  'head***mouth***inferior lip',
  'head***mouth***oral comisure',
  'head***mouth***superior lip',
  'head***mouth***teeth',
  'head***neck',
  'head***nose',
  'head***nose***ala of nose',
  'head***nose***bridge',
  'head***nose***nose tip',
  'head***nose***nostril',
  'head***philtrum',
  'head***temple',
  'head***wrinkles',
];

const CAR_20 = [
  'background',
  'back_bumper',
  'bumper',
  'car_body',
  'car_lights',
  'door',
  'fender',
  'grilles',
  'handles',
  'hoods',
  'licensePlate',
  'mirror',
  'roof',
  'running_boards',
  'tailLight',
  'tire',
  'trunk_lids',
  'wheelhub',
  'window',
  'windshield',
];

const CAT_16 = [
  'background',
  'back',
  'belly',
  'chest',
  'leg',
  'paw',
  'head',
  'ear',
  'eye',
  'mouth',
  'tongue',
  'nose',
  'tail',
  'whiskers',
  'neck',
  'other',
];

export const PRESETS: Readonly<Record<string, readonly string[]>> = {
  face34: FACE_34,
  car20: CAR_20,
  cat16: CAT_16,
};

/** Hotkeys 1–9 then 0 for the first ten non-background classes; background gets "`". */
export function defaultHotkey(index: number): string | null {
  if (index === 0) return '`';
  if (index <= 9) return String(index);
  if (index === 10) return '0';
  return null;
}

export function classSpecsFromNames(names: readonly string[]): ClassSpec[] {
  return names.map((name, i) => ({ name, color: paletteColor(i), hotkey: defaultHotkey(i) }));
}

export function presetClasses(preset: string): ClassSpec[] | null {
  const names = PRESETS[preset.toLowerCase()];
  return names ? classSpecsFromNames(names) : null;
}
