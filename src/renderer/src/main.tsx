// Renderer entry: configures zod for the CSP, picks the transport (preload IPC or HTTP), connects the
// store and mounts.
// The preamble import installs React Refresh from a module (dev only; empty in builds): the CSP blocks
// the inline preamble script the React plugin would otherwise inject into index.html.
import '@vitejs/plugin-react/preamble';
import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getClient, hostOf } from './client';
import { connectStore } from './store/sync';
import { useUiStore } from './store/uiStore';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain #root');

const client = getClient();
useUiStore.getState().setHost(hostOf());
// Connected before the first render, not from an effect after it: the snapshot request then overlaps
// React's start-up (and the splash paint) instead of waiting for them. The page's lifetime is the
// connection's, so it is never disposed.
const connection = connectStore(client);

createRoot(root).render(
  <StrictMode>
    <App client={client} connection={connection} />
  </StrictMode>,
);
