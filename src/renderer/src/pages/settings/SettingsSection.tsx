// The card each separately saved settings section sits in: a titled region (labelled by its heading)
// with its own test id, so the page reads as one card per concern.
import type { ReactNode } from 'react';

interface Props {
  /** The heading's id is `<id>-title`. */
  id: string;
  title: string;
  testId: string;
  children: ReactNode;
}

export function SettingsSection({ id, title, testId, children }: Props) {
  return (
    <section className="card settings-section" aria-labelledby={`${id}-title`} data-testid={testId}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}
