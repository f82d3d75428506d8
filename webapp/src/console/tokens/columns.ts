import type {Column} from '../../engine';

// The System Console gives the page at most 920 px, too narrow for a column per field, so related
// fields share a column: each column of the table shows the fields of its group that the view
// has on, one per line, and its header sorts by each of them.
export interface ColumnGroup {
    key: 'token' | 'owner' | 'status' | 'activity' | 'findings';
    columns: readonly Column[];
}

export const COLUMN_GROUPS: readonly ColumnGroup[] = [
    {key: 'token', columns: ['description', 'token_id']},
    {key: 'owner', columns: ['owner']},
    {key: 'status', columns: ['state', 'expires']},
    {key: 'activity', columns: ['last_active', 'first_seen']},
    {key: 'findings', columns: ['findings']},
];

export function visibleGroups(columns: readonly Column[]): ColumnGroup[] {
    return COLUMN_GROUPS.
        map((g) => ({key: g.key, columns: g.columns.filter((c) => columns.includes(c))})).
        filter((g) => g.columns.length > 0);
}
