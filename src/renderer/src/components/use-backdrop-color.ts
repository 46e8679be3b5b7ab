import { useEffect, useState, type RefObject } from 'react';
import { parseColor, type Rgb } from '../../../shared/color-contrast';

/** The first opaque background colour at or above `el`, as the page paints it now. */
function backdropOf(el: Element | null): Rgb | null {
  for (let e = el; e; e = e.parentElement) {
    const c = parseColor(getComputedStyle(e).backgroundColor);
    if (c) return c;
  }
  return null;
}

/** The colour behind an element, read again when the theme (the body's class) changes. */
export function useBackdropColor(ref: RefObject<Element | null>): Rgb | null {
  const [color, setColor] = useState<Rgb | null>(null);
  useEffect(() => {
    const read = () => setColor(backdropOf(ref.current));
    read();
    const watch = new MutationObserver(read);
    watch.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    return () => watch.disconnect();
  }, [ref]);
  return color;
}
