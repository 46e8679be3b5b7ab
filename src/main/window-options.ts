/**
 * The studio window's options (security checklist 2–4, 6): context isolation, a sandboxed renderer,
 * no Node in it, web security on, only our preload. Kept free of electron imports so tests read the
 * real object.
 */
export function studioWindowOptions(preload: string) {
  return {
    width: 1400,
    height: 880,
    minWidth: 1100,
    minHeight: 700,
    show: false,
    title: 'DatasetGAN Studio',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  } as const;
}
