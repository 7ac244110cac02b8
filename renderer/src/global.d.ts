/// <reference types="vite/client" />
import type { NeedleLogApi } from '../../contract/api.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent under the browser host. */
    readonly needlelog?: NeedleLogApi;
  }
}

export {};
