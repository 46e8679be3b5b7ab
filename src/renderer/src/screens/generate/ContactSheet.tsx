import { Card, H5 } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import { call } from '../../api/client';

/** The run's contact sheet (images with their label overlays), when the run has written one. */
export function ContactSheet({ runId }: { runId: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let made: string | null = null;
    void call('run:contact-sheet', { runId }).then(
      (r) => {
        if (!r) return;
        made = URL.createObjectURL(new Blob([r.png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
        setUrl(made);
      },
      () => undefined,
    );
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [runId]);
  if (!url) return null;
  return (
    <Card className="contact-sheet">
      <H5>Contact sheet</H5>
      <img src={url} alt="Contact sheet of the latest run" />
    </Card>
  );
}
