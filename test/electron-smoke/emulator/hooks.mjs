// Module resolution hook for the smoke test: the bare specifier `electron` resolves to the emulation,
// everything else resolves as usual. Loaded off-thread by register.mjs through module.register.
const EMULATION = new URL('./electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: EMULATION, shortCircuit: true };
  return nextResolve(specifier, context);
}
