import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { debianTools, onPath } from '../support/tools.js';
import { tempDir } from '../support/clinic.js';

// The honest-skip rule for tests that need Debian tools: skip on a developer's machine, fail under CI.
describe('debianTools', () => {
  afterEach(() => vi.restoreAllMocks());

  it('finds an executable on PATH, and not a plain file or a missing one', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'present'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'notexec'), 'x', { mode: 0o644 });
    expect(onPath('present', dir)).toBe(true);
    expect(onPath('notexec', dir)).toBe(false);
    expect(onPath('absent', dir)).toBe(false);
  });

  it('fails under CI=true when a tool is missing, naming it and its package', () => {
    const env = { PATH: tempDir(), CI: 'true' };
    expect(() => debianTools(['pdftoppm'], 'poppler-utils', env)).toThrow(
      /pdftoppm not found \(Debian package poppler-utils.*under CI=true the tests that need it fail/,
    );
  });

  it('skips with a warning outside CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(debianTools(['sqlite3'], 'sqlite3', { PATH: tempDir() })).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('sqlite3 not found'));
  });
});
