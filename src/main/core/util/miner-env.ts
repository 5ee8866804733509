// The environment a miner gets: an allow-list of what programs need to run (PATH, home, temp, locale,
// GPU driver variables), never the app's own secrets such as HASHDECK_TOKEN, the headless API token.
const EXACT = new Set([
  'PATH',
  'Path',
  'HOME',
  'USERPROFILE',
  'SystemRoot',
  'SYSTEMROOT',
  'windir',
  'TEMP',
  'TMP',
  'TMPDIR',
  'LANG',
  'LANGUAGE',
  'TZ',
  // Linux/macOS loaders need these to find GPU driver libraries installed outside the default paths.
  'LD_LIBRARY_PATH',
  'DYLD_LIBRARY_PATH',
]);
// LC_* locale; CUDA_*, NVIDIA_*, GPU_*, __GL_* are the documented NVIDIA/OpenCL driver knobs.
const PREFIXES = ['LC_', 'CUDA_', 'NVIDIA_', 'GPU_', '__GL_'];

export function isAllowedMinerVariable(name: string): boolean {
  return EXACT.has(name) || PREFIXES.some((p) => name.startsWith(p));
}

/** The allowed subset of `source`, plus the adapter's own variables (which win). */
export function minerEnvironment(
  source: NodeJS.ProcessEnv = process.env,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && isAllowedMinerVariable(name)) env[name] = value;
  }
  return { ...env, ...extra };
}
