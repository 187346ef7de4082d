// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// The first import of @grafana/ui takes seconds on 2 cores; page tests wait for real async work.
jest.setTimeout(30000);

// The pages offer write actions by Grafana role (src/utils/writeAccess.ts): every test starts
// signed in as an Editor; a viewer's test sets the role itself.
beforeEach(() => {
  require('@grafana/runtime').config.bootData.user.orgRole = 'Editor';
});

// Grafana draws a page's actions (New SLO, Edit, Delete) in its own header; the tests' page shows
// them above the content, as the browser tests' host page does.
{
  const React = require('react');
  const runtimeDir = require('path').dirname(require.resolve('@grafana/runtime'));
  require(`${runtimeDir}/components/PluginPage.cjs`).setPluginPage(({ children, actions, pageNav }) =>
    React.createElement(
      'div',
      null,
      pageNav && React.createElement('h1', null, pageNav.text),
      React.createElement('div', null, actions),
      children
    )
  );
}
