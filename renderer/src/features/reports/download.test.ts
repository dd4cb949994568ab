import { afterEach, describe, expect, it, vi } from 'vitest';
import { base64ToBytes, saveReportFile } from './download.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('saving an exported report', () => {
  it('decodes base64 into the exact bytes, beyond ASCII', () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, 0x41, 0x00, 0xff, 0x80]);
    const base64 = btoa(String.fromCharCode(...bytes));
    expect([...base64ToBytes(base64)]).toEqual([...bytes]);
    expect(() => base64ToBytes('not base64!')).toThrow();
  });

  it('clicks a hidden download link named after the file, then removes it and frees the Blob', async () => {
    vi.useFakeTimers();
    let blob: Blob | undefined;
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob;
      return 'blob:report-1';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: { href: string; download: string; inDocument: boolean }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, inDocument: document.body.contains(this) });
    });

    saveReportFile({
      fileName: 'sales-summary_2026-01-01_2026-01-31.csv',
      mimeType: 'text/csv',
      base64: btoa('a,b\r\n1,2'),
    });

    expect(create).toHaveBeenCalledOnce();
    expect(blob?.type).toBe('text/csv');
    expect(await blob?.text()).toBe('a,b\r\n1,2');
    expect(clicked).toEqual([
      { href: 'blob:report-1', download: 'sales-summary_2026-01-01_2026-01-31.csv', inDocument: true },
    ]);
    expect(document.querySelector('a[download]')).toBeNull();
    expect(revoke).not.toHaveBeenCalled();
    vi.runAllTimers();
    expect(revoke).toHaveBeenCalledWith('blob:report-1');
  });
});
