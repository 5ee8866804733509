// Renderer entry: configures zod for the CSP, picks the transport (preload IPC or HTTP) and mounts.
// The preamble import installs React Refresh from a module (dev only; empty in builds): the CSP blocks
// the inline preamble script the React plugin would otherwise inject into index.html.
import '@vitejs/plugin-react/preamble';
import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getClient } from './client';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain #root');

createRoot(root).render(
  <StrictMode>
    <App client={getClient()} />
  </StrictMode>,
);
