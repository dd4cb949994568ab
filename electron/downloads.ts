/**
 * Report exports are Blob downloads made by the UI. In the desktop app each one gets a save dialog
 * (the UI never picks a path), and only our own page may start one. Pure (no 'electron').
 */
import path from 'node:path';
import { APP_ORIGIN } from './app-url.js';

const FILTERS: Record<string, { name: string; extensions: string[] }> = {
  '.csv': { name: 'CSV', extensions: ['csv'] },
  '.xlsx': { name: 'Excel workbook', extensions: ['xlsx'] },
  '.pdf': { name: 'PDF document', extensions: ['pdf'] },
};

/** blob: URLs made by our page, and data: URLs (which carry no origin of their own); nothing fetched from elsewhere. */
export function downloadAllowed(url: string): boolean {
  return url.startsWith(`blob:${APP_ORIGIN}/`) || url.startsWith('data:');
}

/** The suggested name without folders, control characters or characters Windows refuses. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replaceAll('\\', '/'));
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const cleaned = base.replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  return cleaned.slice(0, 200) || 'export';
}

/** The part of Electron's SaveDialogOptions used here (this file stays free of 'electron'). */
export interface SaveOptions {
  title: string;
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
  properties: ('createDirectory' | 'showOverwriteConfirmation')[];
}

export function saveDialogOptions(suggestedName: string, downloadsDir: string): SaveOptions {
  const name = safeFileName(suggestedName);
  const filter = FILTERS[path.extname(name).toLowerCase()];
  return {
    title: 'Save export',
    defaultPath: path.join(downloadsDir, name),
    filters: [...(filter ? [filter] : []), { name: 'All files', extensions: ['*'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}
