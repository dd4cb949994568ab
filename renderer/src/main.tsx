import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

// The staff UI is built in issue 7; until then the renderer only proves the web toolchain.
function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 32 }}>
      <h1>Nexus back-office</h1>
      <p>The staff interface arrives with the offline store and sync engine.</p>
    </main>
  );
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
