/** What a merge did, for the command's summary and the app's merge dialog. */
export interface MergeReport {
  /** The merged file. */
  out: string;
  /** File names of the two inputs, as sentences name them. */
  mine: string;
  theirs: string;
  samples: {
    /** Samples only theirs had. */
    added: number;
    /** Samples both added independently (same model, seed and ψ), merged into one. */
    matchedByIdentity: number;
    /** Deleted on one side but kept because the other side's annotation work on them would be lost. */
    kept: number;
  };
  annotations: {
    /** Annotations where theirs' version was taken (changed only there, or new there). */
    fromTheirs: number;
    /** Annotations where mine's version stayed because theirs had not changed it, or changed it the same way. */
    unchanged: number;
    /** Samples with an annotation conflict after the merge (changed on both sides). */
    conflicts: number;
  };
  classes: {
    added: string[];
    matchedByName: string[];
    renamed: { from: string; to: string }[];
    deleted: string[];
    /** Classes of theirs whose pixel value was taken here: their label maps were rewritten. */
    renumbered: { name: string; from: number; to: number }[];
  };
  interpreters: { added: number };
  generationRuns: { added: number };
  /** Anything worth a sentence: both-side class edits, kept classes and samples, dropped hotkeys. */
  notes: string[];
}

export function emptyReport(out: string, mine: string, theirs: string): MergeReport {
  return {
    out,
    mine,
    theirs,
    samples: { added: 0, matchedByIdentity: 0, kept: 0 },
    annotations: { fromTheirs: 0, unchanged: 0, conflicts: 0 },
    classes: { added: [], matchedByName: [], renamed: [], deleted: [], renumbered: [] },
    interpreters: { added: 0 },
    generationRuns: { added: 0 },
    notes: [],
  };
}
