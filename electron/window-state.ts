/**
 * The main window's size, position and maximized state, kept in the data dir between launches.
 * Pure geometry plus a small JSON file; no 'electron' import.
 *
 * A saved position can point off-screen (a monitor was unplugged, the resolution changed): the
 * window then goes to the display it overlaps most, fully inside it, or is centred on the primary
 * display when it overlaps none. A damaged or foreign file is ignored, never fatal.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the window manager place (centre) the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const MIN_SIZE = { width: 960, height: 600 } as const;
export const DEFAULT_STATE: WindowState = { width: 1280, height: 800, maximized: false };

const int = z.number().int().min(-100_000).max(100_000);
const stateSchema = z.object({
  x: int.optional(),
  y: int.optional(),
  width: int.min(1),
  height: int.min(1),
  maximized: z.boolean().default(false),
});

export function parseWindowState(text: string | undefined): WindowState {
  if (!text) return { ...DEFAULT_STATE };
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : { ...DEFAULT_STATE };
  } catch {
    return { ...DEFAULT_STATE };
  }
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

/**
 * Makes a saved state safe for the current displays' work areas (primary first). Sizes are capped
 * by the chosen display and floored at MIN_SIZE (or the display, when it is smaller still).
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0];
  if (!primary) return state;
  const hasPosition = state.x !== undefined && state.y !== undefined;
  const saved: Rect = { x: state.x ?? 0, y: state.y ?? 0, width: state.width, height: state.height };
  const best = hasPosition
    ? workAreas.reduce<{ area: Rect; overlap: number }>(
        (acc, area) => (overlap(saved, area) > acc.overlap ? { area, overlap: overlap(saved, area) } : acc),
        { area: primary, overlap: 0 },
      )
    : { area: primary, overlap: 0 };
  const area = best.area;
  const width = clamp(state.width, Math.min(MIN_SIZE.width, area.width), area.width);
  const height = clamp(state.height, Math.min(MIN_SIZE.height, area.height), area.height);
  if (best.overlap === 0) return { width, height, maximized: state.maximized };
  return {
    x: clamp(saved.x, area.x, area.x + area.width - width),
    y: clamp(saved.y, area.y, area.y + area.height - height),
    width,
    height,
    maximized: state.maximized,
  };
}

export function readWindowState(file: string): WindowState {
  try {
    return parseWindowState(readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_STATE };
  }
}

/** Written to a temporary file and renamed, so a crash mid-write never leaves half a file. */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state)}\n`);
  renameSync(temp, file);
}
