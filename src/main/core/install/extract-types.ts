// Shared shapes of the two extractors (tar.gz and zip): their limits and the list of files they wrote.
// Kept apart so neither extractor imports the other.

export interface ExtractLimits {
  maxEntries: number;
  /** Sum of the files' sizes once unpacked (a zip bomb stops here). */
  maxTotalBytes: number;
}

export interface ExtractedFile {
  /** Relative to the extraction folder, with forward slashes. */
  path: string;
  mode: number;
}
