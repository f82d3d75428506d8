import {ownerKinds} from './query';
import type {FindingName, OwnerKind, Row} from '../types';

// One flat record per token, the same for CSV and JSON. Never any secret: Row has none to give.
export interface ExportRecord {
    token_id: string;
    description: string;
    state: 'active' | 'disabled';
    user_id: string;
    username: string;
    email: string;
    owner_kinds: OwnerKind[];

    // null: the server has no expiry; 0: never expires.
    expires_at: number | null;
    first_seen: number | null;
    last_seen: number | null;
    first_active: number | null;
    last_active: number | null;
    findings: FindingName[];
    exemption_reason: string;
}

export const EXPORT_FIELDS: ReadonlyArray<keyof ExportRecord> = [
    'token_id', 'description', 'state', 'user_id', 'username', 'email', 'owner_kinds', 'expires_at',
    'first_seen', 'last_seen', 'first_active', 'last_active', 'findings', 'exemption_reason',
];

export function toExportRecord(row: Row): ExportRecord {
    return {
        token_id: row.token.id,
        description: row.token.description,
        state: row.token.is_active ? 'active' : 'disabled',
        user_id: row.token.user_id,
        username: row.owner?.username ?? '',
        email: row.owner?.email ?? '',
        owner_kinds: ownerKinds(row.owner),
        expires_at: typeof row.token.expires_at === 'number' ? row.token.expires_at : null,
        first_seen: row.seen?.first_seen || null,
        last_seen: row.seen?.last_seen || null,
        first_active: row.usage?.first_active || null,
        last_active: row.usage?.last_active || null,
        findings: row.findings.slice(),
        exemption_reason: row.exemption?.reason ?? '',
    };
}

// Times stay Unix milliseconds in JSON, as everywhere in the API.
export function toJSON(rows: readonly Row[]): string {
    return JSON.stringify(rows.map(toExportRecord), null, 2) + '\n';
}

// RFC 4180 with CRLF; times as ISO 8601 UTC so spreadsheets read them and the output is reproducible.
export function toCSV(rows: readonly Row[]): string {
    const lines = [EXPORT_FIELDS.join(',')];
    for (const row of rows) {
        const rec = toExportRecord(row);
        lines.push(EXPORT_FIELDS.map((field) => csvCell(csvValue(field, rec[field]))).join(','));
    }
    return lines.join('\r\n') + '\r\n';
}

function csvValue(field: keyof ExportRecord, value: ExportRecord[keyof ExportRecord]): string {
    if (Array.isArray(value)) {
        return value.join(';');
    }
    if (value === null) {
        return '';
    }
    if (typeof value === 'number') {
        if (field === 'expires_at' && value === 0) {
            return 'never';
        }
        return new Date(value).toISOString();
    }
    return value;
}

// Descriptions and names are user-typed: a spreadsheet would run "=HYPERLINK(...)" as a formula,
// so such cells get a leading apostrophe (OWASP's advice), then the usual quoting.
export function csvCell(value: string): string {
    let v = value;
    if (/^\s*[=+\-@]/.test(v) || /^[\t\r]/.test(v)) {
        v = `'${v}`;
    }
    if (/[",\r\n]/.test(v) || /^\s|\s$/.test(v)) {
        v = `"${v.replace(/"/g, '""')}"`;
    }
    return v;
}
