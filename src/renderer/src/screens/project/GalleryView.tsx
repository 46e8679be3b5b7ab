import { Button, FileInput, HTMLSelect, ProgressBar, SegmentedControl } from '@blueprintjs/core';
import { Export, Import, Plus, SortNumerical } from '@blueprintjs/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { CountProgress } from '../../../../shared/compute-api';
import { SAMPLES_TO_ADD } from '../../../../shared/number-fields';
import { call } from '../../api/client';
import { ClassPanel } from '../../components/ClassPanel';
import { NumberField, useNumberField } from '../../components/NumberField';
import { Thumbnail } from '../../components/Thumbnail';
import { useElementWidth } from '../../components/use-element-width';
import { addClass, attempt, changeClass, requireAuthor, selectSample, setScreen, startJob } from '../../state/actions';
import { useReadOnlyTip } from '../../state/read-only';
import { plural } from '../../../../shared/plural';
import { noticePatch, store, useStudio } from '../../state/store';

const SIZE = 128;
const CELL = SIZE + 20;

type Filter = 'all' | 'annotated' | 'todo';

async function importLabels(files: FileList | null): Promise<void> {
  const author = requireAuthor();
  if (!files || files.length === 0 || !author) return;
  await attempt(async () => {
    const payload = await Promise.all(
      [...files].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    const { imported, warning } = await call('labels:import', { files: payload, author });
    // The same warning `dgs label import` gives when the ids look shifted by one.
    store.set(
      noticePatch(`Imported ${plural(imported, 'annotation')} as ${author}.${warning ? ` Warning: ${warning}` : ''}`, {
        warns: warning !== null,
      }),
    );
  });
}

/** Every sample as a virtualized grid; Sample adds K; Import labels brings in label PNGs; sort by uncertainty. */
export function GalleryView() {
  const samples = useStudio((s) => s.samples);
  const selected = useStudio((s) => s.selectedSample);
  const readonlyTip = useReadOnlyTip();
  const readonly = readonlyTip !== null;
  const classes = useStudio((s) => s.project?.classes);
  const hasInterpreter = useStudio((s) => (s.project?.counts.interpreters ?? 0) > 0);
  const job = useStudio((s) => s.jobs.sample);
  const count = useNumberField(SAMPLES_TO_ADD, 8);
  const [filter, setFilter] = useState<Filter>('all');
  const [assignee, setAssignee] = useState<string>('');
  const assignees = useMemo(
    () => [...new Set(samples.map((s) => s.assignee).filter((a): a is string => a !== null))].sort(),
    [samples],
  );
  const [scores, setScores] = useState<Record<string, number> | null>(null);
  const parent = useRef<HTMLDivElement>(null);
  const width = useElementWidth(parent);
  const columns = Math.max(1, Math.floor((width - 8) / CELL));
  const shown = useMemo(() => {
    const list = samples.filter(
      (s) =>
        (filter === 'all' || (filter === 'annotated') === (s.annotation !== null)) &&
        (assignee === '' || (assignee === '\u0000' ? s.assignee === null : s.assignee === assignee)),
    );
    return scores ? [...list].sort((a, b) => (scores[b.id] ?? -1) - (scores[a.id] ?? -1)) : list;
  }, [samples, filter, scores, assignee]);
  const rows = Math.ceil(shown.length / columns);
  const v = useVirtualizer({
    count: rows,
    getScrollElement: () => parent.current,
    estimateSize: () => CELL + 8,
    overscan: 3,
  });
  const running = job?.state === 'running';
  const progress = running ? (job.progress as CountProgress | null) : null;

  return (
    <div className="gallery-view">
      <section className="gallery" aria-label="Gallery">
        <div className="gallery-toolbar">
          <NumberField
            state={count}
            id="sample-count"
            label={false}
            ariaLabel="How many samples to add"
            width={70}
            addon={
              <Button
                intent="primary"
                icon={<Plus />}
                text="Sample"
                disabled={readonly || running || count.value === null}
                title={readonlyTip ?? undefined}
                onClick={() => count.value !== null && void startJob('samples:add', { count: count.value })}
              />
            }
          />
          <FileInput
            text="Import labels…"
            buttonText="Browse"
            inputProps={{ accept: 'image/png', multiple: true, 'aria-label': 'Import labels' }}
            disabled={readonly}
            title={readonlyTip ?? undefined}
            onInputChange={(e) => void importLabels((e.currentTarget as HTMLInputElement).files)}
          />
          <Button
            icon={<Export />}
            text="Export labels…"
            disabled={samples.every((x) => x.annotation === null)}
            onClick={() => store.set({ dialog: 'export-labels' })}
          />
          <SegmentedControl
            size="small"
            value={filter}
            onValueChange={(v) => setFilter(v as Filter)}
            options={[
              { value: 'all', label: `All ${samples.length}` },
              { value: 'annotated', label: 'Annotated' },
              { value: 'todo', label: 'To annotate' },
            ]}
          />
          {assignees.length > 0 && (
            <HTMLSelect
              aria-label="Assigned to"
              value={assignee}
              onChange={(e) => setAssignee(e.currentTarget.value)}
              options={[
                { value: '', label: 'Everyone’s samples' },
                ...assignees.map((a) => ({ value: a, label: `Assigned to ${a}` })),
                { value: '\u0000', label: 'Unassigned' },
              ]}
            />
          )}
          <Button
            icon={<SortNumerical />}
            text={scores ? 'Sorted by uncertainty' : 'Sort by uncertainty'}
            disabled={!hasInterpreter}
            active={scores !== null}
            title={
              hasInterpreter
                ? 'Most uncertain first: the interpreter learns most from these'
                : 'Train an interpreter first'
            }
            onClick={() =>
              void attempt(async () => setScores(scores ? null : (await call('samples:scores', {})).scores))
            }
          />
          <Button
            variant="minimal"
            icon={<Import />}
            text="Open in Annotate"
            disabled={!selected}
            onClick={() => setScreen('annotate')}
          />
        </div>
        {progress && (
          <ProgressBar
            intent="primary"
            value={progress.total ? progress.done / progress.total : undefined}
            aria-label="Sampling progress"
          />
        )}
        <div ref={parent} className="gallery-grid">
          <div style={{ height: v.getTotalSize(), position: 'relative' }}>
            {v.getVirtualItems().map((row) => (
              <div key={row.key} className="gallery-row" style={{ transform: `translateY(${row.start}px)` }}>
                {shown.slice(row.index * columns, (row.index + 1) * columns).map((s) => (
                  <Thumbnail
                    key={s.id}
                    sample={s}
                    size={SIZE}
                    selected={s.id === selected}
                    onSelect={() => {
                      selectSample(s.id);
                    }}
                  />
                ))}
              </div>
            ))}
          </div>
        </div>
      </section>
      <ClassPanel
        title="Classes"
        classes={classes ?? []}
        edit={{ readonlyTip, onChange: changeClass, onAdd: () => void addClass() }}
      />
    </div>
  );
}
