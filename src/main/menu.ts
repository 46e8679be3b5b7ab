/**
 * The application menu: File actions reach the renderer as `menu` events (the renderer owns the
 * screens), View and Help are Electron's own roles.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from '../shared/api';

export function installMenu(send: (action: MenuAction) => void): void {
  const item = (label: string, action: MenuAction, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => send(action),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        item('New project…', 'new-project', 'CmdOrCtrl+N'),
        item('Open project…', 'open-project', 'CmdOrCtrl+O'),
        { type: 'separator' },
        item('Merge…', 'merge'),
        item('Save labeler copy…', 'labeler-copy'),
        { type: 'separator' },
        item('Close project', 'close-project', 'CmdOrCtrl+W'),
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        item('Toggle dark theme', 'toggle-theme', 'CmdOrCtrl+Shift+D'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(process.env.ELECTRON_RENDERER_URL ? [{ role: 'toggleDevTools' as const }] : []),
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
