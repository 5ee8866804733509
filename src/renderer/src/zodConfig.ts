// Tells zod not to probe `new Function` (its JIT): the strict CSP has no 'unsafe-eval', and the probe
// would log a CSP violation. Imported first by main.tsx, before any schema is used.
import { z } from 'zod';

z.config({ jitless: true });
