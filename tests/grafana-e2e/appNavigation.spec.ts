// For maintainers with Docker (npm run e2e:grafana): the app's pages in a real Grafana, with the
// Burnrate server and a Prometheus data source provisioned (docker-compose.yaml).
import { test, expect } from './fixtures';
import { ROUTES } from '../../src/constants';
import { testIds } from '../../src/components/testIds';

test.describe('Burnrate app', () => {
  test('the SLO list is the default page', async ({ gotoPage, page }) => {
    await gotoPage('');
    await expect(page.getByTestId(testIds.list.container)).toBeVisible();
    await expect(page.getByTestId(testIds.list.newSlo)).toBeVisible();
  });

  test('creates an SLO from a template and opens its detail page', async ({ gotoPage, page }) => {
    await gotoPage(`/${ROUTES.New}`);
    await page.getByTestId(testIds.editor.template('otel-availability')).getByRole('button').click();
    const name = `e2e-${Date.now()}`;
    await page.getByTestId(testIds.editor.service).fill('e2e');
    await page.getByTestId(testIds.editor.name).fill(name);
    await expect(page.getByTestId(testIds.editor.rules)).toContainText('slo:sli_error:ratio_rate5m');
    await page.getByTestId(testIds.editor.save).click();
    await expect(page.getByTestId(testIds.detail.container)).toBeVisible();
    await expect(page.getByTestId(testIds.detail.audit)).toContainText('slo.create');

    await gotoPage(`/${ROUTES.List}`);
    await expect(page.getByTestId(testIds.list.row('e2e', name))).toBeVisible();
  });

  test('shows validation messages beside the field', async ({ gotoPage, page }) => {
    await gotoPage(`/${ROUTES.New}`);
    await page.getByTestId(testIds.editor.template('otel-ttft')).getByRole('button').click();
    await page.getByTestId(testIds.editor.objective).fill('95');
    await expect(page.getByTestId(testIds.editor.fieldError).first()).toContainText('did you mean 0.95');
    await page.getByTestId(testIds.editor.save).click();
    await expect(page.getByTestId(testIds.editor.problems)).toContainText('objective:');
    await expect(page.getByTestId(testIds.detail.container)).toHaveCount(0);
  });
});
