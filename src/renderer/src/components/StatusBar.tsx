import { Tag, Tooltip } from '@blueprintjs/core';
import { useStudio } from '../state/store';

/** Execution provider and why, model, project path, saved state, compute health. */
export function StatusBar() {
  const project = useStudio((s) => s.project);
  const saveState = useStudio((s) => s.saveState);
  const crash = useStudio((s) => s.computeCrash);
  const author = useStudio((s) => s.author);
  if (!project) return null;
  const provider = project.provider;
  return (
    <footer className="status-bar" aria-label="Status">
      <Tooltip content={provider?.reason ?? 'The generator is loading.'} placement="top">
        <Tag
          minimal
          intent={provider?.name === 'cuda' ? 'success' : 'none'}
          aria-label={`Execution provider: ${provider ? `${provider.name}, ${provider.reason}` : 'loading'}`}
        >
          {provider ? provider.name.toUpperCase() : '…'}
        </Tag>
      </Tooltip>
      {provider && <span className="muted reason">{provider.reason}</span>}
      {project.model && (
        <span>
          {project.model.name} · {project.model.resolution}²
        </span>
      )}
      <span className="muted path" title={project.file}>
        {project.file}
        {project.readonly ? ' (read-only)' : ''}
      </span>
      <span className="spacer" />
      {crash && (
        <Tag intent="danger" minimal>
          compute restarted
        </Tag>
      )}
      {author && <span className="muted">{author}</span>}
      <span aria-live="polite" className={saveState === 'failed' ? 'save-failed' : 'muted'}>
        {saveState === 'saved' ? 'All changes saved' : saveState === 'saving' ? 'Saving…' : 'Not saved'}
      </span>
    </footer>
  );
}
