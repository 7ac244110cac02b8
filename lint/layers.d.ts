// Types for lint/layers.js, which ESLint loads as plain JavaScript.
export interface Layer {
  name: string;
  match: string[];
  about: string;
  layers: string[];
  packages: string[];
  node: boolean;
  sql?: boolean;
}
export const LAYERS: Layer[];
export function layerOf(file: string): Layer | undefined;
export function layoutTable(): string;
export const README_START: string;
export const README_END: string;
