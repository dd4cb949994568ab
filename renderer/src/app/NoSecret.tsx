/** Browser mode opened without the launch URL: without its secret the host answers nothing. */
export function NoSecret() {
  return (
    <div className="center-screen">
      <div className="card card-narrow">
        <h1 className="card-title">Open the back-office from its launch address</h1>
        <p className="muted">
          This page was opened without the secret that the back-office host gives each launch, so it cannot talk to the
          host.
        </p>
        <ol className="steps">
          <li>
            Start the host with <code>npm run backoffice</code> (or <code>npm start</code>).
          </li>
          <li>
            Open the URL it prints, the one that ends in <code>#secret=…</code>.
          </li>
        </ol>
      </div>
    </div>
  );
}
