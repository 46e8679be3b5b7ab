/**
 * Sample images as object URLs, fetched once per sample and kept for the most recently shown ones
 * (thumbnails in a long gallery come and go as it scrolls; each URL is revoked when evicted).
 */
import { useEffect, useState } from 'react';
import { call } from '../api/client';

const MAX = 600;
const urls = new Map<string, Promise<string>>();

function evict(): void {
  while (urls.size > MAX) {
    const [id, url] = urls.entries().next().value as [string, Promise<string>];
    urls.delete(id);
    void url.then(
      (u) => URL.revokeObjectURL(u),
      () => undefined,
    );
  }
}

export function sampleImageUrl(sampleId: string): Promise<string> {
  let url = urls.get(sampleId);
  if (!url) {
    url = call('sample:image', { sampleId }).then(({ png }) =>
      URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' })),
    );
    url.catch(() => urls.delete(sampleId));
    urls.set(sampleId, url);
    evict();
  }
  return url;
}

/** Forget every image (another project was opened). */
export function clearSampleImages(): void {
  for (const u of urls.values())
    void u.then(
      (x) => URL.revokeObjectURL(x),
      () => undefined,
    );
  urls.clear();
}

export function useSampleImage(sampleId: string | null): { url: string | null; error: string | null } {
  const [state, setState] = useState<{ url: string | null; error: string | null }>({ url: null, error: null });
  useEffect(() => {
    if (!sampleId) {
      setState({ url: null, error: null });
      return;
    }
    let live = true;
    setState({ url: null, error: null });
    sampleImageUrl(sampleId).then(
      (url) => {
        if (live) setState({ url, error: null });
      },
      (e: unknown) => {
        if (live) setState({ url: null, error: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => {
      live = false;
    };
  }, [sampleId]);
  return state;
}
