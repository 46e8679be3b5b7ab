import { useEffect, useState } from 'react';
import { stepSample } from '../../state/actions';
import { ClassPanel, type ClassView } from './ClassPanel';
import { SampleStrip } from './SampleStrip';
import { SampleView } from './SampleView';
import { ToolColumn } from './ToolColumn';

/** The layout labelers know from CVAT and LabelMe: tools left, image centre, classes right, samples below. */
export function AnnotateView() {
  const [view, setView] = useState<ClassView>({ hidden: new Set(), opacity: 0.5 });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      if (e.key === 'ArrowLeft') stepSample(-1);
      else if (e.key === 'ArrowRight') stepSample(1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="annotate-view">
      <ToolColumn view={view} onView={setView} />
      <SampleView view={view} />
      <ClassPanel view={view} onView={setView} />
      <SampleStrip />
    </div>
  );
}
