/**
 * A read-only project (a read-only file or share) can be looked at, not changed: every control that
 * would change it is disabled, and this sentence is its tooltip. The banner says it once, with Save a
 * copy… (ReadOnlyBanner.tsx).
 */
import { useStudio } from './store';

export const READ_ONLY_TIP =
  'Disabled: this project is open read-only. Save a copy… (in the banner) makes a copy you can edit.';

/** The tooltip for controls that change the project, or null when it can be changed. */
export function useReadOnlyTip(): string | null {
  return useStudio((s) => (s.project?.readonly ? READ_ONLY_TIP : null));
}
