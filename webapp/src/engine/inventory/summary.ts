import {ALL_FINDINGS, isAtRisk} from './findings';
import type {FindingName, Row} from '../types';

export interface Summary {
    total: number;
    active: number;
    inactive: number;

    // Distinct owners of the given tokens.
    owners: number;

    // Rows with at least one risk finding, exempted rows not counted.
    at_risk: number;

    // Per finding, over rows that are not exempted; `exempted` counts the exempted rows.
    findings: Record<FindingName, number>;
}

export function summarize(rows: readonly Row[]): Summary {
    const findings = Object.fromEntries(ALL_FINDINGS.map((f) => [f, 0])) as Record<FindingName, number>;
    const owners = new Set<string>();
    let active = 0;
    let atRisk = 0;
    for (const row of rows) {
        owners.add(row.token.user_id);
        if (row.token.is_active) {
            active++;
        }
        if (isAtRisk(row)) {
            atRisk++;
        }
        const exempted = row.findings.includes('exempted');
        for (const f of row.findings) {
            if (!exempted || f === 'exempted') {
                findings[f]++;
            }
        }
    }
    return {total: rows.length, active, inactive: rows.length - active, owners: owners.size, at_risk: atRisk, findings};
}
