/** The app version recorded in new project files (project.app_version), from package.json. */
import pkg from '../../../package.json';

export const APP_VERSION: string = pkg.version;
