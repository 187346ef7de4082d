// For maintainers with Docker: runs against a real Grafana with the plugin installed and a
// Burnrate server (npm run e2e:grafana). Not run in CI; tests/browser/ is what CI runs.
import { test, expect, BURNRATE_TOKEN, BURNRATE_URL } from './fixtures';
import { testIds } from '../../src/components/testIds';

test('saves the server settings and the connection test passes through the plugin proxy', async ({
  appConfigPage,
  page,
}) => {
  await page.getByTestId(testIds.appConfig.serverUrl).fill(BURNRATE_URL);
  const reset = page.getByRole('button', { name: /reset/i });
  if (await reset.isVisible()) {
    await reset.click();
  }
  await page.getByTestId(testIds.appConfig.apiToken).fill(BURNRATE_TOKEN);
  const saved = appConfigPage.waitForSettingsResponse();
  await page.getByTestId(testIds.appConfig.submit).click();
  await expect(saved).toBeOK();

  // The page reloads after saving; the test uses the saved route configuration.
  await page.getByTestId(testIds.appConfig.testConnection).click();
  await expect(page.getByTestId(testIds.appConfig.testResult)).toContainText('Connected');
});
