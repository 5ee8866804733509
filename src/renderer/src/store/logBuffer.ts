// One miner's console backlog: the shared log buffer (at most 1,000 lines, deduplicated by sequence
// number, so the fetched backlog and live `log` events can overlap without doubling lines).
export { LogBuffer, MAX_LOG_LINES } from '../../../shared/buffers/log-buffer';
