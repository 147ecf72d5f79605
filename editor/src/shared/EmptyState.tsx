import type { ReactNode } from 'react';
import './ui.css';

/** A calm explanation of why a list is empty and how to fill it. */
export function EmptyState({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="cf-empty" data-testid={testId}>
      <p className="cf-empty__title">{title}</p>
      {children && <div className="cf-empty__body">{children}</div>}
    </div>
  );
}
