import { Button, HTMLTable, Radio, Tag } from '@blueprintjs/core';
import type { ApiResponse } from '../../../../shared/api';
import { call } from '../../api/client';
import { attempt } from '../../state/actions';
import { useReadOnlyTip } from '../../state/read-only';

type Interpreters = ApiResponse<'interpreters:list'>;

const when = (iso: string) => new Date(iso).toLocaleString();
const miou = (m: number | null) => (m === null ? 'n/a' : `${(m * 100).toFixed(1)} %`);

/**
 * The project's interpreters with their cross-validated mIoU, members and date, and the one generation,
 * pre-label and Next uncertain sample use: picked here, or by the rule (the newest, unless its mIoU is
 * lower than the one in use), each row saying why it is or is not in use.
 */
export function InterpreterTable({ list }: { list: Interpreters }) {
  const readonlyTip = useReadOnlyTip();
  const use = (id: string | null) => void attempt(() => call('interpreters:use', { id }));
  const pinned = list.some((it) => it.chosen);
  return (
    <>
      <HTMLTable compact striped className="full-width" aria-label="Interpreters">
        <thead>
          <tr>
            <th>use</th>
            <th>trained</th>
            <th>models</th>
            <th>CV mIoU</th>
            <th>folds</th>
            <th>time</th>
            <th>on</th>
            <th>why</th>
          </tr>
        </thead>
        <tbody>
          {list.map((it) => (
            <tr key={it.id}>
              <td>
                <Radio
                  name="interpreter-in-use"
                  checked={it.inUse}
                  disabled={readonlyTip !== null}
                  title={readonlyTip ?? undefined}
                  aria-label={`Use the interpreter trained ${when(it.createdAt)}`}
                  onChange={() => use(it.id)}
                />
              </td>
              <td>
                {when(it.createdAt)}{' '}
                {it.inUse && (
                  <Tag minimal intent="primary">
                    in use
                  </Tag>
                )}
              </td>
              <td>{it.members}</td>
              <td>{miou(it.miou)}</td>
              <td>{it.folds}</td>
              <td>{it.wallSeconds === null ? '' : `${it.wallSeconds.toFixed(0)} s`}</td>
              <td>{it.provider}</td>
              <td className="muted caption">{it.note}</td>
            </tr>
          ))}
          {list.length === 0 && (
            <tr>
              <td colSpan={8} className="muted">
                None yet.
              </td>
            </tr>
          )}
        </tbody>
      </HTMLTable>
      {pinned && (
        <Button
          size="small"
          variant="minimal"
          text="Let the newest take over again (unless its mIoU is lower)"
          disabled={readonlyTip !== null}
          onClick={() => use(null)}
        />
      )}
    </>
  );
}
