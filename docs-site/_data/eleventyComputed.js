/** Every page at `<path>.html` (docs/README.md at index.html), as its `.md` links expect. */
export default {
  permalink: (data) => `${data.page.filePathStem.replace(/(^|\/)README$/, '$1index')}.html`,
};
