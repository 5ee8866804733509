// Compact durations for uptimes: "45s", "12m 05s", "3h 04m", "2d 03h".
// Input is seconds (MinerStats.uptime); null or invalid renders as "—".
import { NO_VALUE } from './hashrate';

const pad = (n: number): string => String(n).padStart(2, '0');

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return NO_VALUE;
  const total = Math.floor(seconds);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  if (days > 0) return `${days}d ${pad(hours)}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(secs)}s`;
  return `${secs}s`;
}
