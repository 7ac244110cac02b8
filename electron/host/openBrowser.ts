import { spawn } from 'node:child_process';

interface BrowserCommand {
  command: string;
  args: string[];
}

// cmd.exe re-parses its command line, so `start` only ever sees URLs made of characters it treats
// literally (no & | < > ^ % " or spaces). Anything else goes through rundll32, which takes the URL as
// one plain argument.
const CMD_SAFE_URL = /^[A-Za-z0-9\-._~:/?#[\]@!$'()*+,;=]+$/;

/** How to open `url` in the default browser on `platform`; the URL is always a separate argument. */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): BrowserCommand {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`Only http(s) URLs are opened in the browser, not ${parsed.protocol}`);
  }
  const href = parsed.href;
  if (platform === 'darwin') return { command: 'open', args: [href] };
  if (platform === 'win32') {
    return CMD_SAFE_URL.test(href)
      ? { command: 'cmd', args: ['/c', 'start', '""', href] }
      : { command: 'rundll32', args: ['url.dll,FileProtocolHandler', href] };
  }
  return { command: 'xdg-open', args: [href] };
}

/** Opens `url` in the default browser, detached; failures (no browser, no display) are ignored. */
export function openInBrowser(url: string): void {
  try {
    const { command, args } = browserCommand(url);
    const child = spawn(command, args, {
      detached: true,
      stdio: 'ignore',
      windowsHide: true,
      shell: false,
      windowsVerbatimArguments: process.platform === 'win32' && command === 'cmd',
    });
    child.on('error', () => {});
    child.unref();
  } catch {
    // Opening a browser is a convenience; the URL is printed anyway.
  }
}
