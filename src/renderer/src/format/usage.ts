// CPU and memory figures in words that cannot be misread: a share of the whole computer (100 % = every
// logical core busy), the cores that share amounts to, and resident memory.
import type { CpuUsage } from '../../../shared/model';

/** "23 %", "4.5 %" below 10 %, "0 %" for an idle miner. */
export function formatPercent(value: number): string {
  if (!Number.isFinite(value) || value <= 0) return '0 %';
  return value < 10 ? `${value.toFixed(1)} %` : `${Math.round(value)} %`;
}

/** "1.8 of 8 cores busy" from a share of the machine. */
export function formatCoresBusy(u: Pick<CpuUsage, 'machineCpuPercent' | 'logicalCores'>): string {
  const busy = (Math.max(0, u.machineCpuPercent) / 100) * u.logicalCores;
  const cores = u.logicalCores === 1 ? 'core' : 'cores';
  return `${busy.toFixed(1)} of ${u.logicalCores} ${cores} busy`;
}

const MB = 1024 * 1024;

/** "412 MB", "2.1 GB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 MB';
  if (bytes >= 1024 * MB) return `${(bytes / (1024 * MB)).toFixed(1)} GB`;
  return `${Math.max(1, Math.round(bytes / MB))} MB`;
}

/** The details of one measurement: cores busy, memory and, when more than one, the processes. */
export function usageDetails(u: CpuUsage): string {
  const parts = [formatCoresBusy(u), `${formatBytes(u.rssBytes)} memory`];
  if (u.processes > 1) parts.push(`${u.processes} processes`);
  return parts.join(' · ');
}
