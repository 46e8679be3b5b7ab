import { useState } from 'react';
import type { ProjectSummary } from '../../shared/api';
import { api } from './api';

/** Home screen: open a project and see what it holds. Gallery, canvas and jobs come in later screens. */
export function App() {
  const [project, setProject] = useState<ProjectSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function open() {
    setError(null);
    const r = await api()['project:choose-and-open']({});
    if (!r.ok) setError(r.message);
    else if (r.value) setProject(r.value);
  }

  return (
    <main className="home">
      <header>
        <h1>DatasetGAN Studio</h1>
        <button onClick={open}>Open project…</button>
      </header>
      {error && <p role="alert" className="error">{error}</p>}
      {project ? (
        <section aria-label="Project">
          <h2>{project.name}</h2>
          <p className="muted">{project.file}</p>
          <p>Model: {project.model ? `${project.model.name} (${project.model.architecture}, ${project.model.resolution}²)` : 'none yet'}</p>
          <p>
            {project.counts.samples} samples · {project.counts.annotations} annotated · {project.counts.interpreters} interpreters ·{' '}
            {project.counts.generationRuns} generation runs
          </p>
          <ul className="classes">
            {project.classes.map((c) => (
              <li key={c.index}>
                <span className="swatch" style={{ background: c.color }} /> {c.name}
                {c.hotkey && <kbd>{c.hotkey}</kbd>}
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <p className="muted">Open a project file (.dgs), or create one with <code>npx dgs init my.dgs --model default</code>.</p>
      )}
    </main>
  );
}
