import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadAllowed, safeFileName, saveDialogOptions } from './downloads.js';

describe('downloads', () => {
  it('lets only our own page start a download', () => {
    expect(downloadAllowed('blob:app://nexus/4b1c1d6e-6a4e-4f7a-9a55-0b0d1e2f3a4b')).toBe(true);
    expect(downloadAllowed('data:text/csv;base64,YQ==')).toBe(true);
    expect(downloadAllowed('blob:https://evil.example/4b1c')).toBe(false);
    expect(downloadAllowed('https://evil.example/payload.exe')).toBe(false);
    expect(downloadAllowed('file:///etc/passwd')).toBe(false);
  });

  it('keeps a suggested name inside the chosen folder and legal on every OS', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('..\\..\\Windows\\evil.bat')).toBe('evil.bat');
    expect(safeFileName('sales: 2025/05?.csv')).toBe('05_.csv');
    expect(safeFileName('a\u0000b\u001fc.pdf')).toBe('a_b_c.pdf');
    expect(safeFileName('...')).toBe('export');
    expect(safeFileName('')).toBe('export');
    expect(safeFileName(`${'x'.repeat(500)}.csv`)).toHaveLength(200);
  });

  it('offers a save dialog in the downloads folder with the matching file type', () => {
    const options = saveDialogOptions('sales-2025-05.xlsx', '/home/ann/Downloads');
    expect(options.defaultPath).toBe(path.join('/home/ann/Downloads', 'sales-2025-05.xlsx'));
    expect(options.filters?.[0]).toEqual({ name: 'Excel workbook', extensions: ['xlsx'] });
    expect(options.filters?.at(-1)).toEqual({ name: 'All files', extensions: ['*'] });
    expect(saveDialogOptions('top.csv', '/d').filters?.[0]?.extensions).toEqual(['csv']);
    expect(saveDialogOptions('orders.pdf', '/d').filters?.[0]?.extensions).toEqual(['pdf']);
    expect(saveDialogOptions('notes.bin', '/d').filters).toEqual([{ name: 'All files', extensions: ['*'] }]);
  });
});
