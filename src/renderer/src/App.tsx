// The app shell: theme, first-run guide or tabbed pages, and toasts, from the caller's StoreConnection.
// Only the dashboard is in the entry chunk; other pages (and the zod their forms use) load on first use.
import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import type { MiningClient } from '../../shared/contract';
import { ClientProvider } from './client/ClientContext';
import { ConnectionBanner } from './components/ConnectionBanner';
import { Nav, PANEL_ID, tabId } from './components/Nav';
import { Toasts } from './components/Toasts';
import { DashboardPage } from './pages/DashboardPage';
import { useSettingsStore } from './store/settingsStore';
import type { StoreConnection } from './store/sync';
import { useUiStore, type Page } from './store/uiStore';

const MinersPage = lazy(() => import('./pages/MinersPage').then((m) => ({ default: m.MinersPage })));
const ProfilesPage = lazy(() => import('./pages/ProfilesPage').then((m) => ({ default: m.ProfilesPage })));
const ConsolePage = lazy(() => import('./pages/ConsolePage').then((m) => ({ default: m.ConsolePage })));
const SettingsPage = lazy(() => import('./pages/SettingsPage').then((m) => ({ default: m.SettingsPage })));
const FirstRunPage = lazy(() => import('./pages/FirstRunPage').then((m) => ({ default: m.FirstRunPage })));

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

/** Shown for the moment a page's chunk takes to load (a local file or loopback request). */
const pageLoading = (
  <p className="muted" role="status" data-testid="page-loading">
    Loading…
  </p>
);

function Shell({ connection }: { connection: StoreConnection }) {
  const status = useUiStore((s) => s.status);
  const loadError = useUiStore((s) => s.loadError);
  const firstRun = useUiStore((s) => s.firstRun);
  const page = useUiStore((s) => s.page);
  useTheme();

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
          onClick={() => void connection.reload()}
          data-testid="app-retry"
        >
          Retry
        </button>
      </div>
    );
  }
  if (firstRun) {
    return (
      <>
        <ConnectionBanner />
        <main className="app-main" id={PANEL_ID}>
          <Suspense fallback={pageLoading}>
            <FirstRunPage />
          </Suspense>
        </main>
      </>
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
      <ConnectionBanner />
      <main className="app-main" id={PANEL_ID} role="tabpanel" aria-labelledby={tabId(page)} tabIndex={-1}>
        <Suspense fallback={pageLoading}>
          <PageComponent />
        </Suspense>
      </main>
    </>
  );
}

export function App({ client, connection }: { client: MiningClient; connection: StoreConnection }) {
  return (
    <ClientProvider client={client}>
      <div className="app">
        <Shell connection={connection} />
        <Toasts />
      </div>
    </ClientProvider>
  );
}
