import { Button, Callout } from '@blueprintjs/core';
import { call } from '../../api/client';
import { attempt, setScreen } from '../../state/actions';
import { store, useStudio } from '../../state/store';
import { ReadOnlyBanner } from './ReadOnlyBanner';

/** What the user must know about the open file: read-only, an older version, conflicts waiting. */
export function ProjectBanners() {
  const p = useStudio((s) => s.project);
  const screen = useStudio((s) => s.screen);
  if (!p) return null;
  return (
    <div className="project-banners">
      <ReadOnlyBanner />
      {p.upgradedFrom !== null && !p.readonly && (
        <Callout intent="primary" compact role="status" className="banner-row">
          <span>
            This project was saved by an older version (file format {p.upgradedFrom}). You are working on an upgraded
            copy; the original stays as it was until you save the upgrade.
          </span>
          <Button
            size="small"
            intent="primary"
            text="Save upgrade"
            onClick={() => void attempt(async () => store.set({ project: await call('project:save-upgrade', {}) }))}
          />
        </Callout>
      )}
      {p.conflicts > 0 && screen !== 'conflicts' && (
        <Callout intent="warning" compact role="status" className="banner-row">
          <span>
            {p.conflicts} annotation{p.conflicts === 1 ? ' was' : 's were'} changed in both merged copies; both versions
            are kept until you choose.
          </span>
          <Button size="small" text="Resolve conflicts" onClick={() => setScreen('conflicts')} />
        </Callout>
      )}
    </div>
  );
}
