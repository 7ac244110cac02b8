import { BrowserWindow, shell } from 'electron';
import type { BrowserWindowConstructorOptions, Event, Session, WebContents, WebFrameMain } from 'electron';

/**
 * Every security rule of the Electron shell lives in this one module, so a review reads one file.
 * The window is sandboxed, has no Node, loads only our own pages from the `app://needlelog/` origin,
 * cannot navigate or open windows, may use only the camera, and reaches the main side only through
 * the single IPC channel whose handler checks the sending frame (see ipc.ts).
 */

/** The privileged scheme our pages are served from (see protocol.ts). */
export const APP_SCHEME = 'app';
/** A fixed host so that the origin is stable and absolute paths ('/assets/…') resolve. */
export const APP_HOST = 'needlelog';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

export { CONTENT_SECURITY_POLICY } from '../../contract/csp.js';

/**
 * The only place a window is created. The hardened preferences are written out literally here (not
 * built elsewhere and spread in) so that a reviewer, and Electronegativity's AST checks, see them at
 * the construction site; `options` cannot override them.
 */
export function createHardenedWindow(
  preloadPath: string,
  options: Omit<BrowserWindowConstructorOptions, 'webPreferences'>,
): BrowserWindow {
  return new BrowserWindow({
    ...options,
    webPreferences: {
      // Reviewed (Electronegativity PRELOAD_JS_CHECK): preload.ts exposes only invoke/onProgress.
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click (auxclick) must not open links in new windows behind the open handler's back.
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: true,
    },
  });
}

/** True for URLs (or origins) of our own pages: `app://needlelog/…`. */
function isOurUrl(url: string | undefined | null): boolean {
  if (typeof url !== 'string' || url === '') return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The sender checks every IPC handler makes: a live frame, showing our page, and the top-level frame. */
export function isOurFrame(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined): boolean {
  if (!frame) return false;
  return frame.parent === null && isOurUrl(frame.url);
}

/** Only https links leave the app, and only through the system browser. */
function isAllowedExternalUrl(url: unknown): url is string {
  if (typeof url !== 'string') return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** The one way to open a link outside the app. Returns whether the URL was handed to the OS. */
export async function openExternal(url: unknown): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) return false;
  // The only openExternal call in the app (reviewed for Electronegativity's OPEN_EXTERNAL_JS_CHECK):
  // the URL was checked to be https just above.
  await shell.openExternal(url);
  return true;
}

/**
 * Locks one webContents down: no navigation or redirect away from our origin, no new windows
 * (https links go to the system browser instead), no <webview>. Applied to every webContents the
 * app creates, from `app.on('web-contents-created')`.
 */
export function hardenWebContents(contents: WebContents): void {
  const denyForeignNavigation = (event: Event, url: string) => {
    if (!isOurUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', denyForeignNavigation);
  contents.on('will-redirect', denyForeignNavigation);
  // will-navigate covers the main frame only; this covers every frame (none of ours has subframes).
  contents.on('will-frame-navigate', (event) => {
    if (!isOurUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void openExternal(url);
    return { action: 'deny' };
  });
}

/** Camera only (for photo capture), and only for our own page. */
function isPermissionAllowed(
  permission: string,
  origin: string | undefined,
  mediaTypes: readonly string[] | undefined,
): boolean {
  if (permission !== 'media' || !isOurUrl(origin)) return false;
  return mediaTypes !== undefined && mediaTypes.length > 0 && mediaTypes.every((t) => t === 'video');
}

/** Installs the permission handlers on a session: camera for our origin, nothing else. */
export function installPermissionHandlers(session: Session): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const origin = details.requestingUrl || contents.getURL();
    callback(details.isMainFrame && isPermissionAllowed(permission, origin, mediaTypes));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const mediaTypes = details.mediaType ? [details.mediaType] : undefined;
    const origin = details.securityOrigin || requestingOrigin;
    return isPermissionAllowed(permission, origin, mediaTypes);
  });
  // WebHID / WebUSB / Web Serial: never.
  session.setDevicePermissionHandler(() => false);
}
