import { Button, Card, CardList, H2, NonIdealState, Tag } from '@blueprintjs/core';
import { Add, FolderOpen, Moon, Flash } from '@blueprintjs/icons';
import { useEffect, useState } from 'react';
import type { ApiResponse } from '../../../../shared/api';
import { call } from '../../api/client';
import { attempt, openProject, setTheme } from '../../state/actions';
import { store, useStudio } from '../../state/store';

type Recent = ApiResponse<'project:recent'>;

/** Recent projects, New project and Open project. */
export function StartScreen() {
  const [recent, setRecent] = useState<Recent>([]);
  const info = useStudio((s) => s.info);
  const theme = useStudio((s) => s.theme);
  useEffect(() => {
    void attempt(async () => setRecent(await call('project:recent', {})));
  }, []);
  return (
    <main className="start-screen">
      <header className="start-header">
        <div>
          <H2>DatasetGAN Studio</H2>
          <p className="muted">
            A StyleGAN generator and a few annotated samples → an unlimited pixel-labeled dataset.
          </p>
        </div>
        <Button
          variant="minimal"
          icon={<Moon />}
          aria-label="Toggle dark theme"
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        />
      </header>
      <div className="start-actions">
        <Button
          size="large"
          intent="primary"
          icon={<Add />}
          text="New project"
          onClick={() => store.set({ dialog: 'new-project' })}
        />
        <Button size="large" icon={<FolderOpen />} text="Open project" onClick={() => void openProject(null)} />
      </div>
      <section aria-label="Recent projects" className="recent">
        <h3>Recent projects</h3>
        {recent.length === 0 ? (
          <NonIdealState
            icon={<Flash size={32} />}
            title="No projects yet"
            description={
              info?.transport === 'web'
                ? 'Create the project this studio serves with New project.'
                : 'Create one with New project — the built-in demo model needs nothing else.'
            }
          />
        ) : (
          <CardList bordered>
            {recent.map((r) => (
              <Card
                key={r.file}
                interactive={r.exists}
                onClick={() => r.exists && void openProject(r.file)}
                aria-label={`Open ${r.name}`}
              >
                <div className="recent-row">
                  <strong>{r.name}</strong>
                  <span className="muted path">{r.file}</span>
                  {!r.exists && (
                    <Tag minimal intent="warning">
                      missing
                    </Tag>
                  )}
                </div>
              </Card>
            ))}
          </CardList>
        )}
      </section>
    </main>
  );
}
