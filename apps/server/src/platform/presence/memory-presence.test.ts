import { createMemoryPresence } from './memory-presence.ts';
import { testPresence } from './presence.contract.ts';

testPresence('memory', async (options) => {
  const presence = createMemoryPresence(options);
  return { presence, peer: presence, dispose: () => presence.close() };
});
