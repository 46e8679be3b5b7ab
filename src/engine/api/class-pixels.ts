/**
 * Annotated pixels per class over a project's annotations (the class panel's counts). Each annotation is
 * decoded once per revision; later calls only decode what changed.
 */
import type { Project } from '../project';

export class ClassPixelCounter {
  private readonly perAnnotation = new Map<string, { revision: number; counts: number[] }>();

  count(project: Project): number[] {
    const total: number[] = [];
    const seen = new Set<string>();
    for (const a of project.listAnnotations()) {
      seen.add(a.sampleId);
      let entry = this.perAnnotation.get(a.sampleId);
      if (!entry || entry.revision !== a.revision) {
        const full = project.getAnnotation(a.sampleId);
        const counts: number[] = [];
        if (full) for (const v of full.labelMap) counts[v] = (counts[v] ?? 0) + 1;
        entry = { revision: a.revision, counts };
        this.perAnnotation.set(a.sampleId, entry);
      }
      entry.counts.forEach((n, i) => {
        total[i] = (total[i] ?? 0) + (n ?? 0);
      });
    }
    for (const id of this.perAnnotation.keys()) if (!seen.has(id)) this.perAnnotation.delete(id);
    return total;
  }

  clear(): void {
    this.perAnnotation.clear();
  }
}
