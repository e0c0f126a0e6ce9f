import type { LaunchEvent } from '@binder-cell/launch-protocol';

/** A repository whose binder/requirements.txt installs the repository itself and includes the root's. */
export const SELF_INSTALLING_REPO = {
  'binder/requirements.txt': '-r ../requirements.txt\n-e .\n',
  'requirements.txt': 'six\n',
  'pyproject.toml':
    '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n' +
    '[project]\nname = "shapepkg"\nversion = "1.0"\n',
  // A src layout: the session's working directory (the repository) does not shadow it.
  'src/shapepkg/__init__.py': 'VALUE = "first"\n',
};

/** The second commit: a new version of the repository's own package. */
export const SELF_INSTALLING_CHANGE = {
  'pyproject.toml': SELF_INSTALLING_REPO['pyproject.toml'].replace('"1.0"', '"2.0"'),
  'src/shapepkg/__init__.py': 'VALUE = "second"\n',
};

/** Prints the installed package's version (its metadata) and its code's value. */
export const SHOW_PACKAGE =
  'import importlib.metadata, shapepkg, six\nprint(importlib.metadata.version("shapepkg"), shapepkg.VALUE)';

/**
 * A repository whose root modules share their names with modules the session's Jupyter
 * server imports: the server must not import them (a repository's yaml.py broke every start),
 * and the kernel, started in the repository, must.
 */
export const SHADOWING_REPO = {
  'yaml.py': 'def load(path):\n    return "the repository\'s own yaml"\n',
  'notebook.py': 'open("notebook-ran", "w").close()\nraise SystemExit(9)\n',
};

/** Prints which yaml the kernel imports, and whether the server ran the repository's notebook.py. */
export const SHOW_SHADOWING =
  'import os, yaml\nprint(yaml.load("x"))\nprint(os.path.exists("notebook-ran"))';

/** Every message and log line of a launch, one per line. */
export const logOf = (events: LaunchEvent[]) =>
  events.map((event) => ('log' in event && event.log) || event.message || '').join('\n');
