import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ICON_SIZE, iconSvg, writeIcon } from './make-icon.js';

const dir = mkdtempSync(path.join(tmpdir(), 'nexus-icon-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('make-icon', () => {
  it('draws a square PNG large enough for .icns and .ico, with a transparent margin', async () => {
    const file = path.join(dir, 'sub', 'icon.png');
    await writeIcon(file);
    const meta = await sharp(file).metadata();
    expect(meta).toMatchObject({ format: 'png', width: ICON_SIZE, height: ICON_SIZE, hasAlpha: true });
    const { data } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    // Top-left corner: outside the rounded square, fully transparent.
    expect(data[3]).toBe(0);
    // Centre-left of the tile: the brand blue, opaque.
    const offset = (ICON_SIZE / 2) * ICON_SIZE * 4 + 120 * 4;
    expect(data[offset + 3]).toBe(255);
    expect(data[offset + 2]).toBeGreaterThan(data[offset]!);
  });

  it('scales the same drawing to any size', () => {
    expect(iconSvg(256)).toContain('width="256" height="256"');
  });
});
