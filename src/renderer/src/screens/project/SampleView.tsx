import { Button, ButtonGroup, NonIdealState, Spinner } from '@blueprintjs/core';
import { Media, ZoomToFit, Maximize } from '@blueprintjs/icons';
import { useEffect, useState } from 'react';
import type { ApiResponse } from '../../../../shared/api';
import { call } from '../../api/client';
import { LabelOverlay } from '../../components/LabelOverlay';
import { useSampleImage } from '../../state/sample-images';
import { useStudio } from '../../state/store';
import type { ClassView } from './ClassPanel';

type Annotation = ApiResponse<'annotation:get'>;

/** One sample: its image with its label overlay, fit to the view or at 1:1. */
export function SampleView({ view }: { view: ClassView }) {
  const sampleId = useStudio((s) => s.selectedSample);
  const classes = useStudio((s) => s.project?.classes ?? []);
  const resolution = useStudio((s) => s.project?.model?.resolution ?? 0);
  const version = useStudio((s) => s.versions.annotations);
  const { url, error } = useSampleImage(sampleId);
  const [annotation, setAnnotation] = useState<Annotation>(null);
  const [fit, setFit] = useState(true);
  useEffect(() => {
    if (!sampleId) return;
    let live = true;
    void call('annotation:get', { sampleId }).then((a) => { if (live) setAnnotation(a); }, () => { if (live) setAnnotation(null); });
    return () => { live = false; };
  }, [sampleId, version]);
  if (!sampleId) {
    return (
      <section className="sample-view" aria-label="Sample view">
        <NonIdealState icon={<Media size={32} />} title="No samples yet" description="Add samples in the Gallery with Sample." />
      </section>
    );
  }
  return (
    <section className="sample-view" aria-label="Sample view">
      <ButtonGroup className="view-controls" variant="minimal">
        <Button icon={<ZoomToFit />} aria-label="Fit to view" active={fit} onClick={() => setFit(true)} />
        <Button icon={<Maximize />} aria-label="Actual size" text="1:1" active={!fit} onClick={() => setFit(false)} />
      </ButtonGroup>
      <div className={`stage${fit ? ' fit' : ''}`}>
        {url ? (
          <div className="stack" style={fit ? undefined : { width: resolution, height: resolution }}>
            <img src={url} alt={`Sample ${sampleId}`} className="sample-image" draggable={false} />
            {annotation && (
              <LabelOverlay labels={annotation.labelMap} width={annotation.width} height={annotation.height} classes={classes} hidden={view.hidden} opacity={view.opacity} />
            )}
          </div>
        ) : error ? <NonIdealState title="The image could not be made" description={error} /> : <Spinner />}
      </div>
      <p className="muted caption">{annotation ? `Annotated by ${annotation.author ?? 'unknown'}, revision ${annotation.revision}` : 'Not annotated yet'}</p>
    </section>
  );
}
