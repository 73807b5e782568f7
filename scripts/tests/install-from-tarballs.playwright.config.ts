import { defineConfig } from '@playwright/test';

/**
 * The browser check of scripts/tests/install-from-tarballs.sh: Debian's
 * Chromium against the new app's backend, which serves the built frontend on
 * the free port the script chose (OPSDECK_INSTALL_BASE_URL).
 */
export default defineConfig({
  testDir: '.',
  testMatch: 'install-from-tarballs.spec.ts',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  reporter: [['list']],
  outputDir: '../../node_modules/.cache/install-from-tarballs-results',
  use: {
    baseURL: process.env.OPSDECK_INSTALL_BASE_URL,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    },
    viewport: { width: 1440, height: 900 },
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
  },
});
