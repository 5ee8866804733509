// A lower bound for stage 1 on src/main/core/install when the machine is too loaded for stage 1 itself:
// only the installer's in-process unit tests (no fake release served, no install run end to end). Every
// test here is also in stage 1, so a mutant killed here is killed there; a survivor here may still die there.
import { defineConfig } from 'vitest/config';
import full from './vitest.stryker.config';

export default defineConfig({
  ...full,
  test: {
    ...full.test,
    include: [
      'src/main/core/install/**/*.test.ts',
      'test/core/install.test.ts',
      'test/install/units.test.ts',
      'test/install/pure-parts.test.ts',
      'test/install/http.test.ts',
      'test/install/download.test.ts',
      'test/install/binary-check.test.ts',
      'test/install/files.test.ts',
      'test/install/extractors.test.ts',
      'test/install/pipeline.test.ts',
      'test/install/installer.test.ts',
    ],
  },
});
