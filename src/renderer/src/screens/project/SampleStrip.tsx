import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { Thumbnail } from '../../components/Thumbnail';
import { selectSample } from '../../state/actions';
import { useStudio } from '../../state/store';

const SIZE = 72;
const ITEM = SIZE + 16;

/** The samples as a horizontal strip under the sample view (virtualized: only visible ones render). */
export function SampleStrip() {
  const samples = useStudio((s) => s.samples);
  const selected = useStudio((s) => s.selectedSample);
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    horizontal: true,
    count: samples.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ITEM,
    overscan: 6,
  });
  const index = samples.findIndex((s) => s.id === selected);
  useEffect(() => {
    if (index >= 0) v.scrollToIndex(index, { align: 'auto' });
  }, [index, v]);
  return (
    <div ref={parent} className="sample-strip" aria-label="Samples">
      <div className="strip-track" style={{ width: v.getTotalSize() }}>
        {v.getVirtualItems().map((item) => {
          const s = samples[item.index];
          return (
            <div key={s.id} className="strip-item" style={{ transform: `translateX(${item.start}px)`, width: ITEM }}>
              <Thumbnail
                sample={s}
                size={SIZE}
                compact
                selected={s.id === selected}
                onSelect={() => selectSample(s.id)}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
