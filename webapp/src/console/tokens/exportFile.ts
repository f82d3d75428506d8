import {toCSV, toJSON} from '../../engine';
import type {Row} from '../../engine';

// The file is built in the browser from what is already loaded, so the download is exactly the view.
export function exportRows(rows: readonly Row[], format: 'csv' | 'json', now: number): void {
    const body = format === 'csv' ? toCSV(rows) : toJSON(rows);
    const type = format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json';
    const url = URL.createObjectURL(new Blob([body], {type}));
    const a = document.createElement('a');
    a.href = url;
    a.download = `token-audit-${new Date(now).toISOString().slice(0, 10)}.${format}`;
    document.body.appendChild(a);
    a.click();
    a.remove();

    // Revoking right away can cancel the download in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}
