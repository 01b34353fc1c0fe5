import { createGopherClient, type GopherClient } from '@gopherchat/sdk';

/**
 * Send limits no test or benchmark reaches by sending fast on purpose: the
 * tests of the limits themselves set their own.
 */
export const GENEROUS_SEND_LIMITS = {
  SEND_BURST_PER_USER: '100000',
  SENDS_PER_SECOND_PER_USER: '100000',
  SEND_BURST_PER_CONVERSATION: '1000000',
  SENDS_PER_SECOND_PER_CONVERSATION: '1000000',
};

/** A password the policy accepts, for accounts made in tests and benchmarks. */
export const TEST_PASSWORD = 'velvet-harbor-quartz-71';

/** Registers `username` on the server at `baseUrl` over plain HTTP; returns its access token. */
export async function registerAccount(baseUrl: string | URL, username: string): Promise<string> {
  const response = await fetch(new URL('/trpc/auth.register', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, email: `${username}@example.com`, password: TEST_PASSWORD }),
  });
  const body = (await response.json()) as { result?: { data: { accessToken: string } } };
  const accessToken = body.result?.data.accessToken;
  if (!accessToken) throw new Error(`sign-up of ${username} failed: ${JSON.stringify(body)}`);
  return accessToken;
}

/** A typed client signed in with `accessToken`: another device of someone signed up already, say. */
export function signedInClient(baseUrl: string | URL, accessToken: string): GopherClient {
  return createGopherClient({ url: baseUrl, accessToken: () => accessToken, retryDelayMs: () => 50 });
}

/** A typed client signed in as a new account `username` (a bot, or another person). */
export async function signUpClient(
  baseUrl: string | URL,
  username: string,
  options: { retryDelayMs?: (attempt: number) => number } = {},
): Promise<GopherClient & { username: string; accessToken: string }> {
  const accessToken = await registerAccount(baseUrl, username);
  const client = createGopherClient({ url: baseUrl, accessToken: () => accessToken, ...options });
  return Object.assign(client, { username, accessToken });
}
