#!/usr/bin/env node
// Renders the app icon, build/icon.svg, to build/icon.png (1024×1024), from which electron-builder
// derives every platform's icon (Windows .ico, macOS .icns, Linux sizes). The PNG is committed, so
// run this only after changing the SVG: `node scripts/make-icons.mjs`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const ICON_SIZE = 1024;

const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build');

/** Renders `svgPath` to a square PNG of `size` pixels at `pngPath`. */
async function renderIcon(svgPath, pngPath, size = ICON_SIZE) {
  // The SVG is drawn at 1024 user units; render at a density that gives `size` pixels directly.
  await sharp(svgPath, { density: (72 * size) / 1024 })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(pngPath);
  return pngPath;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await renderIcon(path.join(buildDir, 'icon.svg'), path.join(buildDir, 'icon.png'));
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
