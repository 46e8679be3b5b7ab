import { Button, ButtonGroup, Card, H5, NonIdealState, Tag } from '@blueprintjs/core';
import { Tick } from '@blueprintjs/icons';
import { useEffect, useRef, useState } from 'react';
import type { ApiResponse, StudioClass } from '../../../../shared/api';
import { call } from '../../api/client';
import { LabelOverlay } from '../../canvas/view/label-overlay';
import { attempt } from '../../state/actions';
import { useSampleImage } from '../../state/sample-images';
import { useReadOnlyTip } from '../../state/read-only';
import { useStudio } from '../../state/store';

type Conflicts = ApiResponse<'conflicts:list'>;
type Pair = ApiResponse<'conflict:get'>;
type Side = Pair['mine'];

/** One side's label map over the sample image, coloured as the annotation canvas colours it. */
function SideLabels({
  labels,
  width,
  height,
  classes,
}: {
  labels: Uint8Array;
  width: number;
  height: number;
  classes: StudioClass[];
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const overlay = new LabelOverlay(width, height);
    overlay.setPalette(classes);
    overlay.paint({ width, height, pixels: labels }, null);
    overlay.canvas.className = 'label-overlay';
    host.current?.replaceChildren(overlay.canvas);
  }, [labels, width, height, classes]);
  return <div ref={host} className="label-overlay-host" aria-hidden />;
}

function SideView({ title, side, image }: { title: string; side: Side; image: string | null }) {
  const classes = useStudio((s) => s.project?.classes ?? []);
  return (
    <Card className="conflict-side" aria-label={title}>
      <H5>
        {title} <Tag minimal>{side.author ?? 'unknown'}</Tag>{' '}
        <span className="muted">{new Date(side.updatedAt).toLocaleString()}</span>
      </H5>
      {side.deleted || !side.labelMap ? (
        <p className="muted">Deleted the annotation.</p>
      ) : (
        <div className="stack conflict-stack">
          {image && <img src={image} alt="" className="sample-image" />}
          <SideLabels labels={side.labelMap} width={side.width!} height={side.height!} classes={classes} />
        </div>
      )}
    </Card>
  );
}

/** Annotations both labelers changed: each shown side by side, kept as mine, theirs, or both as revisions. */
export function ConflictsView() {
  const version = useStudio((s) => s.versions.annotations);
  const [list, setList] = useState<Conflicts>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [pair, setPair] = useState<Pair | null>(null);
  const { url } = useSampleImage(selected);
  const readonlyTip = useReadOnlyTip();
  const settle = { disabled: readonlyTip !== null, title: readonlyTip ?? undefined };
  useEffect(() => {
    void attempt(async () => {
      const l = await call('conflicts:list', {});
      setList(l);
      setSelected((cur) => (cur && l.some((c) => c.sampleId === cur) ? cur : (l[0]?.sampleId ?? null)));
    });
  }, [version]);
  useEffect(() => {
    setPair(null);
    if (selected) void attempt(async () => setPair(await call('conflict:get', { sampleId: selected })));
  }, [selected]);
  const resolve = (keep: 'mine' | 'theirs' | 'both') =>
    // The engine's event brings the new conflict count and the sample's row, and refetches the list.
    void attempt(() => call('conflict:resolve', { sampleId: selected!, keep }));
  if (list.length === 0)
    return (
      <NonIdealState
        icon={<Tick size={32} />}
        title="No conflicts"
        description="Every annotation of the merged copies has one version."
      />
    );
  return (
    <div className="conflicts-view">
      <ul className="conflict-list" aria-label="Conflicts">
        {list.map((c) => (
          <li key={c.sampleId}>
            <Button
              variant="minimal"
              fill
              alignText="start"
              active={c.sampleId === selected}
              onClick={() => setSelected(c.sampleId)}
              text={`Seed ${c.seed}: ${c.mine.author ?? '?'} / ${c.theirs.author ?? '?'}`}
            />
          </li>
        ))}
      </ul>
      {pair && (
        <div className="conflict-pair">
          <div className="conflict-sides">
            <SideView title="Mine (in this project)" side={pair.mine} image={url} />
            <SideView
              title={`Theirs${pair.theirs.source ? ` (from ${pair.theirs.source})` : ''}`}
              side={pair.theirs}
              image={url}
            />
          </div>
          <ButtonGroup>
            <Button intent="primary" text="Keep mine" {...settle} onClick={() => resolve('mine')} />
            <Button intent="primary" text="Keep theirs" {...settle} onClick={() => resolve('theirs')} />
            <Button text="Keep both as revisions" {...settle} onClick={() => resolve('both')} />
          </ButtonGroup>
        </div>
      )}
    </div>
  );
}
