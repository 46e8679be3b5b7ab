/**
 * Electron main process: the window, the app:// protocol, the menu, the typed API — and the project
 * file, which main alone opens. It never runs onnxruntime (session.run would block the UI): compute
 * runs in a utility process that main starts, restarts when it dies, and feeds typed arrays.
 */
import { app, BrowserWindow, dialog, protocol, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeOver } from '../shared/compute-api';
import { createHandlers } from '../engine/api/handlers';
import { recentProjectsStore } from '../engine/api/recent-store';
import { StudioHost, type HostServices } from '../engine/api/studio-host';
import { anyPlace } from '../engine/api/confined-places';
import { ComputeSupervisor } from '../engine/compute-client/supervisor';
import { registerAppProtocol } from './app-protocol';
import { utilityProcessLauncher } from './compute-launcher';
import { registerApi } from './ipc';
import { installMenu } from './menu';
import { hardenWebContents } from './security';
import { APP_ORIGIN } from './url-policy';
import { studioWindowOptions } from './window-options';

const here = path.dirname(fileURLToPath(import.meta.url));
// A packaged app keeps the demo model and the checkpoint converter in its resources folder.
if (app.isPackaged) process.env.DGS_ASSETS_DIR ??= path.join(process.resourcesPath, 'assets');

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function focused(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

function desktopServices(): HostServices {
  const pick = async (options: Electron.OpenDialogOptions) => {
    const win = focused();
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  };
  return {
    transport: 'electron',
    place: anyPlace,
    chooseProjectFile: () =>
      pick({ properties: ['openFile'], filters: [{ name: 'DatasetGAN Studio project', extensions: ['dgs'] }] }),
    async chooseNewProjectFile() {
      const options: Electron.SaveDialogOptions = {
        title: 'New project',
        defaultPath: 'project.dgs',
        filters: [{ name: 'DatasetGAN Studio project', extensions: ['dgs'] }],
      };
      const win = focused();
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    chooseFolder: (purpose) =>
      pick({
        title:
          purpose === 'bundle' ? 'Model bundle folder' : purpose === 'export' ? 'Export labels to' : 'Output folder',
        properties: ['openDirectory', 'createDirectory'],
      }),
    chooseFile: (purpose) =>
      purpose === 'project'
        ? pick({
            title: 'Project copy to merge',
            properties: ['openFile'],
            filters: [{ name: 'DatasetGAN Studio project', extensions: ['dgs'] }],
          })
        : pick({
            title: 'StyleGAN checkpoint',
            properties: ['openFile'],
            filters: [{ name: 'Checkpoints', extensions: ['pkl', 'pt', 'pth'] }],
          }),
    async chooseSaveFile(purpose) {
      const options: Electron.SaveDialogOptions =
        purpose === 'labeled-graph'
          ? {
              title: 'Export labeled graph',
              defaultPath: 'labeled.onnx',
              filters: [{ name: 'ONNX model', extensions: ['onnx'] }],
            }
          : {
              title: purpose === 'copy' ? 'Save an editable copy' : 'Save labeler copy',
              defaultPath: purpose === 'copy' ? 'project-copy.dgs' : 'labeler-copy.dgs',
              filters: [{ name: 'DatasetGAN Studio project', extensions: ['dgs'] }],
            };
      const win = focused();
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async openFolder(dir) {
      const error = await shell.openPath(dir);
      if (error) throw new Error(error);
    },
    mayUseProject: () => true,
    recent: recentProjectsStore(path.join(app.getPath('userData'), 'recent-projects.json')),
  };
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(studioWindowOptions(path.join(here, '../preload/index.cjs')));
  win.once('ready-to-show', () => win.show());
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  void win.loadURL(devUrl && !app.isPackaged ? devUrl : `${APP_ORIGIN}/index.html`);
  return win;
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  registerAppProtocol(path.join(here, '../renderer'));
  const supervisor = new ComputeSupervisor(utilityProcessLauncher(path.join(here, 'compute.js')));
  const studio = new StudioHost(desktopServices(), computeOver(supervisor.core));
  supervisor.onDidCrash((c) => studio.computeCrashed(c.message));
  supervisor.start();
  const unregister = registerApi(createHandlers(studio), (l) => studio.onEvent(l));
  installMenu((action) => studio.emit({ type: 'menu', action }));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    unregister.dispose();
    void studio.dispose().finally(() => app.quit());
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
