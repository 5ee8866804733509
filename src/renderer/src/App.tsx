// The app shell: connects the store to the client, applies the theme, and shows the first-run guide
// or the tabbed pages with toasts.
import { useEffect, useRef, type ComponentType } from 'react';
import type { MiningClient } from '../../shared/contract';
import { ClientProvider, useClient } from './client/ClientContext';
import { Nav, PANEL_ID, tabId } from './components/Nav';
import { Toasts } from './components/Toasts';
import { ConsolePage } from './pages/ConsolePage';
import { DashboardPage } from './pages/DashboardPage';
import { FirstRunPage } from './pages/FirstRunPage';
import { MinersPage } from './pages/MinersPage';
import { ProfilesPage } from './pages/ProfilesPage';
import { SettingsPage } from './pages/SettingsPage';
import { useSettingsStore } from './store/settingsStore';
import { connectStore, type StoreConnection } from './store/sync';
import { useUiStore, type Page } from './store/uiStore';

const PAGE_COMPONENTS: Record<Page, ComponentType> = {
  dashboard: DashboardPage,
  miners: MinersPage,
  profiles: ProfilesPage,
  console: ConsolePage,
  settings: SettingsPage,
};

function useTheme(): void {
  const theme = useSettingsStore((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}

function Shell() {
  const client = useClient();
  const connection = useRef<StoreConnection | null>(null);
  const status = useUiStore((s) => s.status);
  const loadError = useUiStore((s) => s.loadError);
  const firstRun = useUiStore((s) => s.firstRun);
  const page = useUiStore((s) => s.page);
  useTheme();

  useEffect(() => {
    const conn = connectStore(client);
    connection.current = conn;
    return () => {
      conn.dispose();
      if (connection.current === conn) connection.current = null;
    };
  }, [client]);

  if (status === 'loading') {
    return (
      <p className="splash" role="status" data-testid="app-loading">
        Connecting to HashDeck…
      </p>
    );
  }
  if (status === 'error') {
    return (
      <div className="splash" role="alert" data-testid="app-error">
        <p>Could not load the miner state: {loadError}</p>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void connection.current?.reload()}
          data-testid="app-retry"
        >
          Retry
        </button>
      </div>
    );
  }
  if (firstRun) {
    return (
      <main className="app-main" id={PANEL_ID}>
        <FirstRunPage />
      </main>
    );
  }
  const PageComponent = PAGE_COMPONENTS[page];
  return (
    <>
      <a className="skip-link" href={`#${PANEL_ID}`}>
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand" aria-label="HashDeck">
          HashDeck
        </span>
        <Nav />
      </header>
      <main className="app-main" id={PANEL_ID} role="tabpanel" aria-labelledby={tabId(page)} tabIndex={-1}>
        <PageComponent />
      </main>
    </>
  );
}

export function App({ client }: { client: MiningClient }) {
  return (
    <ClientProvider client={client}>
      <div className="app">
        <Shell />
        <Toasts />
      </div>
    </ClientProvider>
  );
}
