/** Where the e2e kit finds the repository, the renderer build and the screenshots folder. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RENDERER_DIST = path.join(ROOT, 'dist', 'renderer');
/** Screenshots and downloaded files; gitignored. */
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
