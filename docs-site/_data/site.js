/**
 * Site settings. `launchServer` is the one setting a published copy needs: the binder-cell
 * server whose SDK the pages load and whose sessions their live cells run in
 * (`BINDER_CELL_SERVER=https://binder.example.org npm run docs:build`). Empty: the server
 * that serves the site at /docs/ (`./scripts/up`), which serves the SDK at /sdk/.
 */
const launchServer = (process.env.BINDER_CELL_SERVER ?? '').replace(/\/+$/, '');

export default {
  launchServer,
  sdkUrl: `${launchServer}/sdk/binder-cell.js`,
};
