// Renders the whole App against a client the way main.tsx does (the store connected first, then the
// first render) and disposes that connection when the test ends.
import { render, type RenderResult } from '@testing-library/react';
import { onTestFinished } from 'vitest';
import type { MiningClient } from '../../../shared/contract';
import { App } from '../App';
import { connectStore } from '../store/sync';

export function renderApp(client: MiningClient): RenderResult {
  const connection = connectStore(client);
  onTestFinished(() => connection.dispose());
  return render(<App client={client} connection={connection} />);
}
