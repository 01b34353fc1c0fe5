/** The membership cache's hit and miss counts of the server at `baseUrl`, read from its `/metrics`. */
export async function membershipLookups(baseUrl: string | URL, metricsToken: string) {
  const response = await fetch(new URL('/metrics', baseUrl), { headers: { authorization: `Bearer ${metricsToken}` } });
  const body = await response.text();
  const count = (outcome: 'hit' | 'miss') =>
    Number(
      new RegExp(`gopherchat_cache_lookups_total\\{cache="membership",outcome="${outcome}"\\} (\\d+)`).exec(body)?.[1],
    );
  return { hits: count('hit'), misses: count('miss') };
}
