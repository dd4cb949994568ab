/**
 * Saves an exported report: the host answers the file as base64 (it must cross the browser-mode
 * JSON bridge), decoded here into a Blob and handed to the browser as an <a download> click. In
 * browser mode that is a download; in Electron the shell turns it into a save dialog.
 */
import type { ReportFile } from '../../../../shared/contract/reports.js';

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Long enough for the browser to start reading the Blob; the URL is only needed for the click. */
const REVOKE_AFTER_MS = 60_000;

export function saveReportFile(file: ReportFile, doc: Document = document): void {
  const blob = new Blob([base64ToBytes(file.base64)], { type: file.mimeType });
  const url = URL.createObjectURL(blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.rel = 'noopener';
  link.hidden = true;
  doc.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
}
