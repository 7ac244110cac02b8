import type { ReactNode } from 'react';

/**
 * The window around the unlock, set-up, sign-in, lock and first-run screens: the brand, and no
 * navigation (nothing of the clinic).
 */
export function Frame({ children }: { children: ReactNode }) {
  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">NeedleLog</span>
      </header>
      <main className="app-main">{children}</main>
    </div>
  );
}
