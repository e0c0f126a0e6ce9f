/** The site's navigation: sections of pages (paths under docs/, as the site serves them). */
export default [
  {
    title: 'Start',
    pages: [
      ['index.html', 'Overview'],
      ['getting-started.html', 'Getting started'],
      ['examples.html', 'Examples'],
    ],
  },
  {
    title: 'Writing pages',
    pages: [
      ['sdk.html', 'Cells, settings and sessions'],
      ['reference/elements.html', 'Elements reference'],
      ['api.html', 'JavaScript API and events'],
      ['sdk.html#outputs', 'Outputs and renderers'],
      ['theming.html', 'Theming'],
      ['widgets.html', 'Widgets'],
      ['thebe.html', 'Pages written for Thebe'],
      ['thebe.html#migrating', 'Migrating from Thebe'],
    ],
  },
  {
    title: 'Running a server',
    pages: [
      ['server.html', 'The launch server'],
      ['repositories.html', 'Repository conventions'],
      ['reference/configuration.html', 'Configuration reference'],
      ['deployment.html', 'Deployment'],
      ['deploy-docker.html', 'Deploying on one host with Docker'],
      ['deploy-kubernetes.html', 'Deploying on Kubernetes'],
      ['security.html', 'Security model'],
      ['operating.html', 'Operating'],
    ],
  },
  {
    title: 'Protocol',
    pages: [
      ['launch-protocol.html', 'The launch protocol'],
      ['reference/launch-protocol.html', 'Launch protocol reference'],
    ],
  },
  {
    title: 'Background',
    pages: [['comparison.html', 'Compared with Thebe, BinderHub and JupyterLite']],
  },
];
