// The page's first module, kept tiny: in browser mode it opens the event stream and asks for the
// snapshot and the chart's history at once, then loads the app, whose bundle downloads and parses
// meanwhile. Without it those requests would wait for the whole bundle to run.
import { startPrefetch } from './client/prefetch';

startPrefetch();
import('./main').catch((err: unknown) => {
  // Nothing else can show an error if the app itself did not load.
  const root = document.getElementById('root');
  if (root)
    root.textContent = `HashDeck could not load its interface: ${String(err)}. Reload the page to try again.`;
});
