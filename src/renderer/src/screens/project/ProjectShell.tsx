import {
  Alignment,
  Button,
  ButtonGroup,
  Navbar,
  NavbarDivider,
  NavbarGroup,
  NavbarHeading,
  Tab,
  Tabs,
} from '@blueprintjs/core';
import { Cross, Duplicate, GitMerge, KeyCommand, Moon } from '@blueprintjs/icons';
import { useEffect } from 'react';
import { StatusBar } from '../../components/StatusBar';
import { closeProject, setScreen, setTheme } from '../../state/actions';
import { clearSampleImages } from '../../state/sample-images';
import { useReadOnlyTip } from '../../state/read-only';
import { store, useStudio, type Screen } from '../../state/store';
import { GenerateScreen } from '../generate/GenerateScreen';
import { ConflictsView } from '../share/ConflictsView';
import { ProjectBanners } from './ProjectBanners';
import { TrainScreen } from '../train/TrainScreen';
import { AnnotateView } from './AnnotateView';
import { GalleryView } from './GalleryView';

const SCREENS: Record<Screen, () => React.JSX.Element> = {
  annotate: AnnotateView,
  gallery: GalleryView,
  train: TrainScreen,
  generate: GenerateScreen,
  conflicts: ConflictsView,
};

function followFocus(target: EventTarget): void {
  const id = target instanceof Element ? target.closest('[role="tab"]')?.getAttribute('data-tab-id') : null;
  if (id && id in SCREENS && id !== store.get().screen) setScreen(id as Screen);
}

/** A project's screens: Annotate (the sample view), Gallery, Train, Generate, with the status bar below. */
export function ProjectShell() {
  const name = useStudio((s) => s.project?.name ?? '');
  const file = useStudio((s) => s.project?.file ?? '');
  const screen = useStudio((s) => s.screen);
  const theme = useStudio((s) => s.theme);
  const conflicts = useStudio((s) => s.project?.conflicts ?? 0);
  const readonlyTip = useReadOnlyTip();
  useEffect(() => clearSampleImages, [file]);
  const Screen = SCREENS[screen];
  return (
    <div className="project-shell">
      <Navbar className="project-nav">
        <NavbarGroup align={Alignment.START}>
          <NavbarHeading className="project-name" title={file}>
            {name}
          </NavbarHeading>
          <NavbarDivider />
          {/* Arrow keys move focus along the tabs (Blueprint, which moves only between tabs that say
              disabled={false}); the screen follows the focus. */}
          <div className="screen-tabs" onFocus={(e) => followFocus(e.target)}>
            <Tabs id="screens" selectedTabId={screen} onChange={(id) => setScreen(id as Screen)} size="large">
              <Tab id="annotate" disabled={false} title="Annotate" />
              <Tab id="gallery" disabled={false} title="Gallery" />
              <Tab id="train" disabled={false} title="Train" />
              <Tab id="generate" disabled={false} title="Generate" />
              {(conflicts > 0 || screen === 'conflicts') && (
                <Tab id="conflicts" disabled={false} title={`Conflicts (${conflicts})`} />
              )}
            </Tabs>
          </div>
        </NavbarGroup>
        <NavbarGroup align={Alignment.END}>
          <ButtonGroup variant="minimal">
            {/* Both change this project (a merge rewrites it; a labeler copy records the assignments). */}
            <Button
              icon={<GitMerge />}
              text="Merge…"
              disabled={readonlyTip !== null}
              title={readonlyTip ?? undefined}
              onClick={() => store.set({ dialog: 'merge' })}
            />
            <Button
              icon={<Duplicate />}
              text="Labeler copy…"
              disabled={readonlyTip !== null}
              title={readonlyTip ?? undefined}
              onClick={() => store.set({ dialog: 'labeler-copy' })}
            />
          </ButtonGroup>
          <NavbarDivider />
          <Button
            variant="minimal"
            icon={<KeyCommand />}
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
            onClick={() => store.set({ dialog: 'shortcuts' })}
          />
          <Button
            variant="minimal"
            icon={<Moon />}
            aria-label="Toggle dark theme"
            onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          />
          <Button variant="minimal" icon={<Cross />} aria-label="Close project" onClick={() => void closeProject()} />
        </NavbarGroup>
      </Navbar>
      <ProjectBanners />
      <main className="screen" aria-label={screen}>
        <Screen />
      </main>
      <StatusBar />
    </div>
  );
}
