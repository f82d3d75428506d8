export {InventoryPage} from './InventoryPage';
