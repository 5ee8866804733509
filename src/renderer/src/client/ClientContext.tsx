// Provides the one MiningClient to components, so tests can render any page with a fake client.
import { createContext, useContext, type ReactNode } from 'react';
import type { MiningClient } from '../../../shared/contract';

const ClientContext = createContext<MiningClient | null>(null);

export function ClientProvider({ client, children }: { client: MiningClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): MiningClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient must be used inside <ClientProvider>');
  return client;
}
