import { Spinner, Tag } from '@blueprintjs/core';
import { Tick } from '@blueprintjs/icons';
import type { SampleRow } from '../state/store';
import { useSampleImage } from '../state/sample-images';

/** One sample's image with its seed, and whether (and by whom) it is annotated. */
export function Thumbnail({
  sample,
  selected,
  onSelect,
  size,
}: {
  sample: SampleRow;
  selected: boolean;
  onSelect(): void;
  size: number;
}) {
  const { url, error } = useSampleImage(sample.id);
  const who = sample.annotation
    ? `annotated${sample.annotation.author ? ` by ${sample.annotation.author}` : ''}`
    : 'not annotated';
  return (
    <button
      type="button"
      className={`thumb${selected ? ' selected' : ''}`}
      onClick={onSelect}
      aria-label={`Sample seed ${sample.seed}, ${who}`}
      aria-pressed={selected}
    >
      <span className="thumb-image" style={{ width: size, height: size }}>
        {url ? (
          <img src={url} alt="" width={size} height={size} draggable={false} />
        ) : error ? (
          <span className="muted">!</span>
        ) : (
          <Spinner size={16} />
        )}
      </span>
      <span className="thumb-caption">
        <span>#{sample.seed}</span>
        {sample.annotation && (
          <Tag minimal round intent="success" icon={<Tick size={10} />} title={who}>
            {sample.annotation.author ?? ''}
          </Tag>
        )}
      </span>
    </button>
  );
}
