import { slug } from 'github-slugger';
import markdownItAnchor from 'markdown-it-anchor';

/**
 * The documentation site: the Markdown of docs/ (the one source of every page) in a layout
 * with navigation. Output: docs-site/dist.
 * Run from the repository's root (npm run docs:build / docs:dev).
 *
 * @param {import('@11ty/eleventy').UserConfig} config
 */
export default function (config) {
  // Pages link to each other as `.md` files, so that they work on GitHub too; the site
  // serves them as `.html`.
  config.amendLibrary('md', (markdown) => {
    markdown.use(markdownItAnchor, { slugify: slug, tabIndex: false });
    const renderLink = markdown.renderer.rules.link_open;
    markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
      const href = tokens[index].attrGet('href') ?? '';
      if (!/^[a-z]+:/i.test(href)) {
        tokens[index].attrSet(
          'href',
          href.replace(/(^|\/)README\.md(?=#|$)/, '$1index.html').replace(/\.md(?=#|$)/, '.html'),
        );
      }
      return renderLink
        ? renderLink(tokens, index, options, env, self)
        : self.renderToken(tokens, index, options);
    };
  });

  config.setTemplateFormats(['md', 'njk']);
  config.addGlobalData('layout', 'page.njk');
  config.addFilter('firstHeading', (html) => {
    const match = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html ?? '');
    return match ? match[1].replace(/<[^>]+>/g, '') : 'binder-cell';
  });
  config.addFilter('relative', (url, page) => {
    const depth = page.url.split('/').length - 2;
    return `${'../'.repeat(depth)}${url}`;
  });

  config.addPassthroughCopy({ 'docs-site/assets': 'assets', 'docs/images': 'images' });

  return {
    dir: {
      input: 'docs',
      includes: '../docs-site/_includes',
      data: '../docs-site/_data',
      output: 'docs-site/dist',
    },
    // docs/*.md are plain Markdown: `{{` in their code is code, not a template.
    markdownTemplateEngine: false,
    htmlTemplateEngine: 'njk',
  };
}
