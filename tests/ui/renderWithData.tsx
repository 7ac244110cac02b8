import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { DataProvider } from '../../renderer/src/data/DataProvider.js';

/**
 * Renders a page as the app mounts it (renderer/src/main.tsx): under the renderer's data layer,
 * with a cache of its own each time, so no test sees another test's clinic.
 */
export function renderWithData(ui: ReactNode): RenderResult {
  return render(<DataProvider>{ui}</DataProvider>);
}
