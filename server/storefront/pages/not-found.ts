import { html, type Html } from '../html.js';

export function notFoundBody(what = 'page'): Html {
  return html`<section class="not-found">
    <h1>We could not find that ${what}</h1>
    <p>It may have moved, or it is no longer sold. Try a search, or start from the home page.</p>
    <form action="/search" method="get" role="search" class="search inline">
      <label for="nf-search">Search products</label>
      <input id="nf-search" type="search" name="q" maxlength="200" />
      <button type="submit">Search</button>
    </form>
    <p><a href="/">Back to the home page</a></p>
  </section>`;
}
