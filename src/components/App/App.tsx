import React, { Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import { AppSettings, ROUTES } from '../../constants';
import { AppSettingsContext } from './context';

const SloList = React.lazy(() => import(/* webpackChunkName: "slo-list" */ '../../pages/SloList'));
const SloEditor = React.lazy(() => import(/* webpackChunkName: "slo-editor" */ '../../pages/SloEditor'));
const SloDetail = React.lazy(() => import(/* webpackChunkName: "slo-detail" */ '../../pages/SloDetail'));

function App(props: AppRootProps<AppSettings>) {
  return (
    <AppSettingsContext.Provider value={props.meta?.jsonData ?? {}}>
      <Suspense fallback={<LoadingPlaceholder text="Loading..." />}>
        <Routes>
          <Route path={ROUTES.New} element={<SloEditor />} />
          <Route path={ROUTES.Edit} element={<SloEditor />} />
          <Route path={ROUTES.Detail} element={<SloDetail />} />
          <Route path={ROUTES.List} element={<SloList />} />
          <Route path="*" element={<Navigate to={ROUTES.List} replace />} />
        </Routes>
      </Suspense>
    </AppSettingsContext.Provider>
  );
}

export default App;
