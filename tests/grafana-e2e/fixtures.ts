import { AppConfigPage, AppPage, test as base } from '@grafana/plugin-e2e';
import pluginJson from '../../src/plugin.json';

type AppTestFixture = {
  appConfigPage: AppConfigPage;
  gotoPage: (path?: string) => Promise<AppPage>;
};

export const test = base.extend<AppTestFixture>({
  appConfigPage: async ({ gotoAppConfigPage }, use) => {
    const configPage = await gotoAppConfigPage({
      pluginId: pluginJson.id,
    });
    await use(configPage);
  },
  gotoPage: async ({ gotoAppPage }, use) => {
    await use((path) =>
      gotoAppPage({
        path,
        pluginId: pluginJson.id,
      })
    );
  },
});

/** Where Grafana's server reaches Burnrate, and an editor token (see docker-compose.yaml). */
export const BURNRATE_URL = process.env.BURNRATE_URL ?? 'http://burnrate:8787';
export const BURNRATE_TOKEN = process.env.BURNRATE_TOKEN ?? 'burnrate-demo-token-change-me';

export { expect } from '@grafana/plugin-e2e';
