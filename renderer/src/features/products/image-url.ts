/**
 * Product image URLs from the server may be relative (`/media/<key>?w=1600`): they are resolved
 * against the central server's address, and the server's own media get the width the UI shows
 * (its resizer serves 160, 320, 640, 1024 and 1600 px), so a grid of thumbnails stays light.
 */
const WIDTHS = [160, 320, 640, 1024, 1600] as const;

export function imageSrc(url: string, serverUrl: string | null | undefined, width?: number): string {
  let resolved: URL;
  try {
    resolved = new URL(url, serverUrl ?? undefined);
  } catch {
    // Relative, and no server address known yet: nothing the browser could load.
    return url;
  }
  if (width !== undefined && resolved.pathname.startsWith('/media/')) {
    const fit = WIDTHS.find((w) => w >= width) ?? WIDTHS[WIDTHS.length - 1];
    resolved.searchParams.set('w', String(fit));
  }
  return resolved.href;
}
