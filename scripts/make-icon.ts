/**
 * Draws the app icon (build/icon.png, 1024×1024) from code: the same mark as the UI's favicon, a
 * white "N" on the brand blue. electron-builder derives the Windows .ico, the macOS .icns and the
 * Linux sizes from it. Run again after changing the drawing: `npx tsx scripts/make-icon.ts`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export const ICON_SIZE = 1024;

/** On a 32-unit grid, as the favicon; a margin keeps the shape clear of macOS's mask. */
export function iconSvg(size = ICON_SIZE): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="-2 -2 36 36">
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#4a72ee"/><stop offset="1" stop-color="#2647b8"/></linearGradient></defs>
  <rect width="32" height="32" rx="8" fill="url(#g)"/>
  <path d="M10 23V9h2.5l7 10V9H22v14h-2.5l-7-10v10z" fill="#ffffff"/>
</svg>`;
}

export async function writeIcon(file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  await sharp(Buffer.from(iconSvg())).png({ compressionLevel: 9 }).toFile(file);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = fileURLToPath(new URL('../build/icon.png', import.meta.url));
  writeIcon(file).then(
    () => console.log(`Wrote ${file}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
