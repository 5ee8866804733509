// Fake-miner tuning shared by the specs: a short warm-up, a fast speed line and windows that fill
// within a second, so every assertion is reached quickly without fixed sleeps.
export const FAST_FAKES: Record<string, string> = {
  FAKE_WARMUP_MS: '300',
  FAKE_XMRIG_PRINT_MS: '500',
  FAKE_XMRIG_WINDOW_SCALE: '0.05',
  FAKE_SHARE_MS: '1000',
};

/** A syntactically valid Monero address for forms and API calls (never used to mine). */
export const WALLET =
  '48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD';

/** A hashrate with a unit, as formatHashrate prints it ("1234.5 H/s", "1.23 kH/s"). */
export const HASHRATE_WITH_UNIT = /^\d+(\.\d+)? (H|kH|MH|GH)\/s$/;
