// The page's first module, kept tiny: in browser mode it opens the event stream and asks for the
// snapshot and the chart's history at once, then loads the app, whose bundle downloads and parses
// meanwhile. Without it those requests would wait for the whole bundle to run.
import { startPrefetch } from './client/prefetch';

startPrefetch();
void import('./main');
