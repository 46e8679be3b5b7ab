/**
 * Electron main process: windows, the app:// protocol, and the typed API. It owns the project file and
 * never runs onnxruntime (session.run blocks its thread; compute runs in a separate process).
 */
import { app, BrowserWindow, dialog, protocol, session } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerApi } from './ipc';
import { registerAppProtocol } from './app-protocol';
import { APP_ORIGIN } from './url-policy';
import { hardenWebContents } from './security';

const here = path.dirname(fileURLToPath(import.meta.url));

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    show: false,
    title: 'DatasetGAN Studio',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  void win.loadURL(devUrl && !app.isPackaged ? devUrl : `${APP_ORIGIN}/index.html`);
  return win;
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  registerAppProtocol(path.join(here, '../renderer'));
  registerApi({
    chooseProjectFile: async () => {
      const r = await dialog.showOpenDialog({ properties: ['openFile'], filters: [{ name: 'DatasetGAN Studio project', extensions: ['dgs'] }] });
      return r.canceled ? null : r.filePaths[0] ?? null;
    },
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
