import { defineConfig } from '@playwright/test';
import base from '../../playwright.config';

/**
 * The README's screenshots, taken of the running demo in Debian's Chromium:
 *
 *   scripts/e2e.sh --config docs/screenshots/playwright.config.ts
 *
 * (or `make start`, then `yarn playwright test --config docs/screenshots/playwright.config.ts`).
 * Not a test: it is not part of `make test`, and it overwrites the PNGs in docs/images.
 */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: 'take.spec.ts',
  projects: undefined,
  retries: 0,
  reporter: 'list',
  use: { ...base.use, viewport: { width: 1440, height: 1000 } },
});
