import { Button, Card, H5, HTMLTable, Tag } from '@blueprintjs/core';
import { FolderOpen, Refresh } from '@blueprintjs/icons';
import { runView, type RunRecord } from './run-state';

/**
 * The project's generation runs, one row per output folder: when it started, where, its state in its
 * own word and colour with the numbers really written, and Resume where the folder holds an unfinished
 * run (while no generation is running).
 */
export function RunsTable({
  runs,
  live,
  onResume,
  onOpenFolder,
}: {
  runs: readonly RunRecord[];
  /** A generation is running in this studio now. */
  live: boolean;
  onResume(run: RunRecord): void;
  /** Where the app can open a folder (the desktop app); absent in a browser. */
  onOpenFolder?(dir: string): void;
}) {
  return (
    <Card>
      <H5>Runs</H5>
      <HTMLTable compact striped className="full-width runs-table" aria-label="Generation runs">
        <thead>
          <tr>
            <th>started</th>
            <th>folder</th>
            <th>state</th>
            <th>samples</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const v = runView(r, live);
            return (
              <tr key={r.id} data-state={v.state}>
                <td>{new Date(r.createdAt).toLocaleString()}</td>
                <td className="path" title={r.outDir}>
                  {r.outDir}
                </td>
                <td>
                  <Tag minimal intent={v.intent}>
                    {v.label}
                  </Tag>
                </td>
                <td>{v.detail}</td>
                <td>
                  {v.resumable && (
                    <Button
                      size="small"
                      icon={<Refresh />}
                      text="Resume"
                      aria-label={`Resume the run in ${r.outDir}`}
                      onClick={() => onResume(r)}
                    />
                  )}
                  {onOpenFolder && v.state === 'finished' && (
                    <Button
                      size="small"
                      variant="minimal"
                      icon={<FolderOpen />}
                      text="Open folder"
                      onClick={() => onOpenFolder(r.outDir)}
                    />
                  )}
                </td>
              </tr>
            );
          })}
          {runs.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No runs yet.
              </td>
            </tr>
          )}
        </tbody>
      </HTMLTable>
    </Card>
  );
}
