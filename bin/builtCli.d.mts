/** The built CLI of the repository at `repo` when it is there and no source is newer, else null. */
export function currentBuild(repo: string): string | null;
