import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { configureApi } from './api/client.ts';
import { App } from './app.tsx';
import { configure } from './auth/session.ts';
import type { ConsoleRuntimeConfig } from './runtime-config.ts';

/** Start: the stage's runtime configuration, then the app. */
const start = async () => {
  const root = document.getElementById('app')!;
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
    const config = (await response.json()) as ConsoleRuntimeConfig;
    configure(config);
    configureApi(config.apiUrl);
    root.textContent = '';
    render(<App config={config} />, root);
  } catch (error) {
    root.textContent = `The console cannot start: ${error instanceof Error ? error.message : String(error)}`;
  }
};

void start();
