// The System Console page. The shell sits here at the top: InventoryPage (registered as the plugin's
// custom setting) loads the inventory (useInventory) and hosts the tabs (Tabs) inside a crash guard
// (PageBoundary); it is small and belongs to no one tab, so it gets no folder of its own.
//   tokens/  the inventory table: summary, search, filters, saved views, export, actions and their runs
//   policy/  the audit policy editor: thresholds, findings, exemptions, conflicting saves
//   trail/   the audit trail with its filters
//   shared/  what every tab uses: controls (Button, LabelledSelect, TextField), Dialog and its footer,
//            notices and loading states, intl (useT, labels, dates), users, styles, the page frame
// Decisions that hold on the server too (action plans, trail grouping, policy limits) are the engine's.
export {InventoryPage} from './InventoryPage';
