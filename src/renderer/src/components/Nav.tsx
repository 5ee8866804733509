// The page tabs: a WAI-ARIA tablist with roving focus (arrow keys, Home, End) and visible focus.
import { useRef, type KeyboardEvent } from 'react';
import { PAGES, useUiStore, type Page } from '../store/uiStore';

export const PAGE_LABELS: Record<Page, string> = {
  dashboard: 'Dashboard',
  miners: 'Miners',
  profiles: 'Profiles',
  console: 'Console',
  settings: 'Settings',
};

export const tabId = (page: Page): string => `tab-${page}`;
export const PANEL_ID = 'page-panel';

export function Nav() {
  const page = useUiStore((s) => s.page);
  const setPage = useUiStore((s) => s.setPage);
  const refs = useRef<Partial<Record<Page, HTMLButtonElement | null>>>({});

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    let next: number | null = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = (index + 1) % PAGES.length;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = (index - 1 + PAGES.length) % PAGES.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = PAGES.length - 1;
    if (next === null) return;
    e.preventDefault();
    const target = PAGES[next] as Page;
    setPage(target);
    refs.current[target]?.focus();
  };

  return (
    <nav className="nav" aria-label="Main">
      <div role="tablist" aria-label="Pages" aria-orientation="horizontal" className="tabs">
        {PAGES.map((p, i) => (
          <button
            key={p}
            ref={(el) => {
              refs.current[p] = el;
            }}
            type="button"
            role="tab"
            id={tabId(p)}
            aria-selected={p === page}
            aria-controls={PANEL_ID}
            tabIndex={p === page ? 0 : -1}
            className="tab"
            data-testid={`nav-${p}`}
            onClick={() => setPage(p)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {PAGE_LABELS[p]}
          </button>
        ))}
      </div>
    </nav>
  );
}
