// Kept only so src/main/service/mining-service.ts keeps compiling: it imports MINER_DISPLAY_NAMES from here.
// Import it from ../miners/display-names instead; this file goes once nothing imports it.
export { MINER_DISPLAY_NAMES } from '../miners/display-names';
