// Types for mutation-summary.mjs, so the TypeScript test can import the plain-Node script.

export interface Counts {
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  compileError: number;
  runtimeError: number;
  ignored: number;
  pending: number;
}
export interface Scored extends Counts {
  score: number | null;
  total: number;
}
export interface AreaResult extends Scored {
  target: number | null;
  /** null when there is no target, no score, or only part of the area was measured. */
  met: boolean | null;
  /** Set by writeSummary: files of the area in the report, and source files of the area on disk. */
  filesMeasured?: number;
  filesInArea?: number | null;
}
export interface Survivor {
  at: string;
  status: 'Survived' | 'NoCoverage';
  mutator: string;
  replacement: string | null;
}
export interface Summary {
  areas: Record<string, AreaResult>;
  folders: Record<string, Scored>;
  files: Record<string, Scored>;
  survivors: Survivor[];
}
export interface StrykerReport {
  projectRoot?: string;
  files: Record<
    string,
    {
      source?: string;
      mutants: {
        status: string;
        mutatorName: string;
        replacement?: string;
        location: {
          start: { line: number; column: number };
          end?: { line: number; column: number };
        };
      }[];
    }
  >;
}

export const DEFAULT_REPORT: string;
export const DEFAULT_OUT: string;
export const AREAS: Record<string, number | null>;
export function score(counts: Counts): number | null;
export function summarize(report: StrykerReport, root?: string): Summary;
export function formatTable(summary: Summary): string;
export function currentOnly(
  report: StrykerReport,
  root?: string,
): Promise<{ report: StrykerReport; stale: string[] }>;
export function mergeReports(paths: string[]): Promise<StrykerReport>;
export function rerunRanges(report: StrykerReport, root?: string): string[];
export function readReport(path: string): Promise<StrykerReport>;
export function refine(stage1: StrykerReport, stage2: StrykerReport): StrykerReport;
export function writeSummary(options?: {
  report?: string;
  out?: string;
  durationMs?: number | null;
  args?: string[];
  /** Where the measured sources live (default: the report's projectRoot, else this repository). */
  root?: string;
}): Promise<Summary & { durationMs: number | null; args: string[]; stale: string[] }>;
