// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// The first import of @grafana/ui takes seconds on 2 cores; page tests wait for real async work.
jest.setTimeout(30000);
