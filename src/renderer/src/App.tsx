import { Classes } from '@blueprintjs/core';
import { useEffect } from 'react';
import { AuthorDialog } from './components/AuthorDialog';
import { ConnectionBanner, ErrorBanner, NoticeBanner } from './components/ErrorBanner';
import { ShortcutSheet } from './components/ShortcutSheet';
import { ProjectShell } from './screens/project/ProjectShell';
import { LabelerCopyDialog } from './screens/share/LabelerCopyDialog';
import { MergeDialog } from './screens/share/MergeDialog';
import { SaveCopyDialog } from './screens/share/SaveCopyDialog';
import { ExportLabelsDialog } from './screens/project/ExportLabelsDialog';
import { NewProjectDialog } from './screens/start/NewProjectDialog';
import { StartScreen } from './screens/start/StartScreen';
import { bootstrap, closeProject, openProject, setTheme } from './state/actions';
import { listen } from './state/engine-events';
import type { MenuAction } from '../../shared/api';
import { store, useStudio } from './state/store';

function onMenu(action: MenuAction): void {
  if (action === 'new-project') store.set({ dialog: 'new-project' });
  else if (action === 'open-project') void openProject(null);
  else if (action === 'close-project') void closeProject();
  else if (action === 'merge' || action === 'labeler-copy') {
    if (store.get().project) store.set({ dialog: action });
  } else setTheme(store.get().theme === 'dark' ? 'light' : 'dark');
}

/** The studio: the start screen until a project is open, then the project's screens. */
export function App() {
  const theme = useStudio((s) => s.theme);
  const hasProject = useStudio((s) => s.project !== null);

  useEffect(() => {
    document.body.classList.toggle(Classes.DARK, theme === 'dark');
  }, [theme]);
  useEffect(() => {
    void bootstrap();
    const events = listen(onMenu);
    return () => void events.dispose();
  }, []);

  return (
    <div className="studio">
      <div className="banner-overlay">
        <ConnectionBanner />
        <ErrorBanner />
        <NoticeBanner />
      </div>
      {hasProject ? <ProjectShell /> : <StartScreen />}
      <NewProjectDialog />
      <AuthorDialog />
      <MergeDialog />
      <LabelerCopyDialog />
      <SaveCopyDialog />
      <ExportLabelsDialog />
      <ShortcutSheet />
    </div>
  );
}
