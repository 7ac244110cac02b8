import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

/**
 * What jsdom lacks and the renderer uses. Layout is not computed here (every size is 0), so these
 * only have to exist; sizes and pixels are checked in Chromium (tests/e2e).
 */
export function installBrowserGaps(): void {
  const w = window as unknown as Record<string, unknown>;
  w.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  w.IntersectionObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  };
  Element.prototype.scrollIntoView ??= function scrollIntoView() {};
  // jsdom defines scrollTo to throw "not implemented".
  window.scrollTo = () => {};
  w.matchMedia ??= (query: string) => ({
    matches: false,
    media: query,
    addEventListener() {},
    removeEventListener() {},
  });
  // jsdom has <dialog> but not its modal methods.
  const dialog = HTMLDialogElement.prototype;
  dialog.showModal ??= function showModal(this: HTMLDialogElement) {
    this.open = true;
  };
  dialog.close ??= function close(this: HTMLDialogElement) {
    this.open = false;
  };
  afterEach(() => cleanup());
}
