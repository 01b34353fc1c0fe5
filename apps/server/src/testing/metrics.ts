/** One cache's hit and miss counts (e.g. 'membership', 'profile') of the server at `baseUrl`, read from its `/metrics`. */
export async function cacheLookups(baseUrl: string | URL, metricsToken: string, cacheName: string) {
  const response = await fetch(new URL('/metrics', baseUrl), { headers: { authorization: `Bearer ${metricsToken}` } });
  const body = await response.text();
  const count = (outcome: 'hit' | 'miss') =>
    Number(
      new RegExp(`gopherchat_cache_lookups_total\\{cache="${cacheName}",outcome="${outcome}"\\} (\\d+)`).exec(
        body,
      )?.[1] ?? 0,
    );
  return { hits: count('hit'), misses: count('miss') };
}
