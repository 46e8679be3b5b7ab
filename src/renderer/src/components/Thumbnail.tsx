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
  compact = false,
}: {
  sample: SampleRow;
  selected: boolean;
  onSelect(): void;
  size: number;
  /** A tick without the author's name (the film strip's small tiles); the name stays in the tooltip. */
  compact?: boolean;
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
      {/* No wider than the image, so neighbours' captions never run into each other; the author's name
          is cut short with an ellipsis (the whole of it is in the tooltip and the button's name). */}
      <span className="thumb-caption" style={{ maxWidth: size }}>
        <span className="thumb-seed">#{sample.seed}</span>
        {sample.annotation && (
          <Tag minimal round intent="success" icon={<Tick size={10} />} title={who} className="thumb-author">
            {compact ? null : (sample.annotation.author ?? '')}
          </Tag>
        )}
      </span>
    </button>
  );
}
