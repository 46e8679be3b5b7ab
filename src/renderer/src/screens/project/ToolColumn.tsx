import { Button, Slider } from '@blueprintjs/core';
import { ChevronLeft, ChevronRight } from '@blueprintjs/icons';
import { stepSample } from '../../state/actions';
import type { ClassView } from './ClassPanel';

/** The left column: sample navigation and the overlay's opacity (the canvas tools join it). */
export function ToolColumn({ view, onView }: { view: ClassView; onView(v: ClassView): void }) {
  return (
    <nav className="tool-column" aria-label="Tools">
      <Button icon={<ChevronLeft />} aria-label="Previous sample (←)" onClick={() => stepSample(-1)} />
      <Button icon={<ChevronRight />} aria-label="Next sample (→)" onClick={() => stepSample(1)} />
      <div className="opacity" title="Overlay opacity">
        <Slider vertical min={0} max={1} stepSize={0.05} labelRenderer={false} value={view.opacity} onChange={(opacity) => onView({ ...view, opacity })} />
      </div>
    </nav>
  );
}
