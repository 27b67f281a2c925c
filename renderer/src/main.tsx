import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import './styles.css';
import { App } from './App';
import { parseDetachedConsoleHash } from '../../shared/detached-console';
import { DetachedConsole } from './console/DetachedConsole';

// a console detached into its own window shows only that console
const detachedConsole = parseDetachedConsoleHash(window.location.hash);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {detachedConsole ? <DetachedConsole request={detachedConsole} /> : <App />}
  </StrictMode>,
);
