import React from 'react';
import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { AppRootProps, PluginType } from '@grafana/data';
import App from './App';
import { testIds } from '../testIds';
import { fakeBackend, fakeDataSources, PROXY } from '../../utils/testing';

function renderApp(path: string) {
  const props = {
    basename: '/a/burnrate-burnrate-app',
    meta: { id: 'burnrate-burnrate-app', name: 'Burnrate', type: PluginType.app, enabled: true, jsonData: {} },
    path: '',
    query: {},
    onNavChanged: jest.fn(),
  } as unknown as AppRootProps;
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/a/burnrate-burnrate-app/*" element={<App {...props} />} />
      </Routes>
    </MemoryRouter>
  );
}

describe('App routes', () => {
  beforeEach(() => {
    fakeDataSources();
    fakeBackend().on('GET', `${PROXY}/api/v1/slos`, { data: { items: [], total: 0, limit: 1000, offset: 0 } });
  });

  it('opens the SLO list by default', async () => {
    renderApp('/a/burnrate-burnrate-app');
    expect(await screen.findByTestId(testIds.list.container, {}, { timeout: 15000 })).toBeInTheDocument();
    expect(await screen.findByTestId(testIds.list.empty, {}, { timeout: 10000 })).toHaveTextContent('No SLOs yet');
  });

  it('opens the editor at slos/new', async () => {
    renderApp('/a/burnrate-burnrate-app/slos/new');
    expect(await screen.findByTestId(testIds.editor.container, {}, { timeout: 15000 })).toBeInTheDocument();
  });
});
