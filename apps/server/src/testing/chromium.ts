/**
 * Flags for the headless Chromium of browser tests and benchmarks. These
 * machines reach nothing beyond loopback: keep Chromium from trying.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
