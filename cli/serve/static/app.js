// The demo help center of `helpmark serve`: plain JavaScript, no build step, no dependencies.
// Every text from the server is put into the page with textContent / createTextNode, never
// innerHTML, so nothing in an article or a query can run as markup.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const state = {
    query: '', locale: '', journeys: new Set(), audiences: new Set(),
    lastSearchId: '', results: [], article: null, eventsEnabled: false, viewSource: '',
    contactUrl: '',
  };
  const session = (() => {
    try {
      let id = sessionStorage.getItem('helpmark-session');
      if (!id) {
        const bytes = new Uint8Array(12);
        crypto.getRandomValues(bytes);
        id = 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
        sessionStorage.setItem('helpmark-session', id);
      }
      return id;
    } catch (e) {
      return 'web-anonymous';
    }
  })();

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  async function getJson(path, params) {
    const url = new URL(path, location.origin);
    for (const [k, v] of params || []) if (v !== '' && v !== undefined) url.searchParams.append(k, v);
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error(body && body.error ? body.error.message : 'HTTP ' + res.status);
    return body;
  }

  function now() { return new Date().toISOString(); }

  // keepalive: a ticket is posted as the visitor leaves for the contact page.
  async function postEvent(event) {
    if (!state.eventsEnabled) return false;
    event.ts = now();
    event.session = session;
    if (state.locale) event.locale = state.locale;
    for (const [k, v] of Object.entries(event)) {
      if (k === 'query') continue;  // browsing with filters is a search for "" (the API needs the field)
      if (v === '' || (v && typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length)) delete event[k];
    }
    try {
      const res = await fetch('/v1/events', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([event]),
        keepalive: true,
      });
      return res.ok;
    } catch (e) {
      return false;
    }
  }

  // "<mark>" and entities of a snippet (HTML-escaped by the server) become DOM nodes.
  function snippetNodes(snippet) {
    const out = document.createDocumentFragment();
    const decode = (s) => s.replace(/&(amp|lt|gt|quot|#39);/g, (m, e) =>
      ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]);
    const parts = snippet.split(/(<mark>|<\/mark>)/);
    let marked = false;
    for (const part of parts) {
      if (part === '<mark>') { marked = true; continue; }
      if (part === '</mark>') { marked = false; continue; }
      if (!part) continue;
      const text = document.createTextNode(decode(part));
      out.append(marked ? el('mark', {}, text) : text);
    }
    return out;
  }

  // ---- autocomplete -------------------------------------------------------------------------
  const input = $('q');
  const list = $('suggestions');
  let suggestTimer = 0, suggestSeq = 0, active = -1;

  // Also cancels a pending or running suggestion request, so that its answer cannot reopen the
  // list after a search was submitted.
  function closeSuggestions() {
    clearTimeout(suggestTimer);
    ++suggestSeq;
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function setActive(i) {
    const items = list.querySelectorAll('li');
    if (!items.length) return;
    active = (i + items.length) % items.length;
    items.forEach((li, k) => li.setAttribute('aria-selected', String(k === active)));
    input.setAttribute('aria-activedescendant', items[active].id);
  }

  async function updateSuggestions() {
    const prefix = input.value;
    const seq = ++suggestSeq;
    if (!prefix.trim()) return closeSuggestions();
    try {
      const data = await getJson('/v1/suggest', [['q', prefix], ['locale', state.locale], ['limit', '8']]);
      if (seq !== suggestSeq) return;
      list.replaceChildren();
      data.suggestions.forEach((s, i) => {
        const li = el('li', { id: 'suggestion-' + i, role: 'option', 'aria-selected': 'false' },
          el('span', { text: s.text }), el('span', { class: 'kind', text: s.kind }));
        li.addEventListener('mousedown', (e) => { e.preventDefault(); choose(s.text); });
        list.append(li);
      });
      const open = data.suggestions.length > 0;
      list.hidden = !open;
      input.setAttribute('aria-expanded', String(open));
      active = -1;
    } catch (e) {
      closeSuggestions();
    }
  }

  function choose(text) {
    input.value = text;
    closeSuggestions();
    navigateSearch(text);
  }

  input.addEventListener('input', () => {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(updateSuggestions, 120);
  });
  input.addEventListener('keydown', (e) => {
    const open = !list.hidden;
    if (e.key === 'ArrowDown') { e.preventDefault(); if (open) setActive(active + 1); else updateSuggestions(); }
    else if (e.key === 'ArrowUp' && open) { e.preventDefault(); setActive(active - 1); }
    else if (e.key === 'Escape' && open) { e.preventDefault(); closeSuggestions(); }
    else if (e.key === 'Enter' && open && active >= 0) {
      e.preventDefault();
      choose(list.querySelectorAll('li')[active].firstChild.textContent);
    }
  });
  // Closed a moment after the box loses the focus (a click on an option lands first), unless
  // the focus came back meanwhile: that close would cancel what is being typed now.
  input.addEventListener('blur', () => setTimeout(() => {
    if (document.activeElement !== input) closeSuggestions();
  }, 100));

  // ---- search -------------------------------------------------------------------------------
  function navigateSearch(query) {
    state.journeys.clear();
    state.audiences.clear();
    const hash = '#/search?' + new URLSearchParams({ q: query }).toString();
    // The same query again fires no hashchange: search (without the filters) right away.
    if (location.hash === hash) route(); else location.hash = hash;
  }

  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    closeSuggestions();
    navigateSearch(input.value);
  });

  function renderFacet(fieldsetId, counts, selected) {
    const box = document.querySelector('#' + fieldsetId + ' .options');
    // New counts replace the checkboxes; a keyboard user keeps the focus on the one toggled.
    const focused = box.contains(document.activeElement) ? document.activeElement.id : '';
    box.replaceChildren();
    for (const c of counts || []) {
      const id = fieldsetId + '-' + c.value.replace(/[^A-Za-z0-9_-]/g, '_');
      const cb = el('input', { type: 'checkbox', id, value: c.value });
      cb.checked = selected.has(c.value);
      cb.addEventListener('change', () => {
        if (cb.checked) selected.add(c.value); else selected.delete(c.value);
        runSearch();
      });
      box.append(el('label', { for: id }, cb, ' ' + c.value + ' ', el('span', { class: 'count', text: '(' + c.count + ')' })));
    }
    $(fieldsetId).hidden = !(counts && counts.length);
    if (focused && $(focused)) $(focused).focus();
  }

  // `record` is false when the same search is only shown again (another language): a replay is
  // not something the visitor searched. A filter change is recorded: the report counts it as
  // the same search refined, not as a new one.
  async function runSearch(record = true) {
    showView('results');
    const q = state.query;
    const params = [['q', q], ['locale', state.locale], ['facet', 'journey,audience'], ['limit', '10']];
    for (const j of state.journeys) params.push(['journey', j]);
    for (const a of state.audiences) params.push(['audience', a]);
    $('status').textContent = 'Searching…';
    let data;
    try {
      data = await getJson('/v1/search', params);
    } catch (e) {
      $('status').textContent = 'Search failed: ' + e.message;
      return;
    }
    const correction = $('correction');
    correction.replaceChildren();
    correction.hidden = true;
    if (data.corrected_query) {
      correction.hidden = false;
      if (data.auto_corrected) {
        correction.append('Showing results for ', el('strong', { text: data.corrected_query }),
          ' (you searched for “' + q + '”).');
      } else {
        correction.append('Did you mean ', el('button', { type: 'button', class: 'link-button',
          text: data.corrected_query, onclick: () => { input.value = data.corrected_query; navigateSearch(data.corrected_query); } }), '?');
      }
    }
    const results = $('results');
    results.replaceChildren();
    state.results = data.hits;
    data.hits.forEach((h, i) => {
      const open = el('button', { type: 'button', class: 'link-button', text: h.title });
      open.addEventListener('click', () => {
        postEvent({ type: 'click', article: h.id, position: i + 1, search_id: state.lastSearchId });
        state.viewSource = 'search';
        location.hash = '#/article/' + encodeURIComponent(h.id);
      });
      results.append(el('li', {}, el('h3', { class: 'title' }, open),
        el('p', { class: 'snippet' }, snippetNodes(h.snippet)),
        el('p', { class: 'meta', text: [h.journey, h.subtopic, h.locale].filter(Boolean).join(' · ') })));
    });
    $('status').textContent = data.total === 0 ? 'No results for “' + q + '”.'
      : data.total + (data.total === 1 ? ' result' : ' results') + (q ? ' for “' + q + '”' : '') + '.';
    renderFacet('facet-journey', data.facets.journey, state.journeys);
    renderFacet('facet-audience', data.facets.audience, state.audiences);
    if (!record) return;
    state.lastSearchId = 'search-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 8);
    const filters = {};
    if (state.journeys.size) filters.journey = [...state.journeys];
    if (state.audiences.size) filters.audience = [...state.audiences];
    postEvent({ type: 'search', id: state.lastSearchId, query: q, total: data.total,
      results: data.hits.map((h) => h.id), filters });
  }

  // ---- article ------------------------------------------------------------------------------
  // A section's Markdown as lists, tables and paragraphs of plain text (inline markup dropped).
  // Lines of a list item or paragraph that wrap continue it (indented or not); a blank line
  // ends it.
  function markdownBlocks(markdown) {
    const out = document.createDocumentFragment();
    const inline = (s) => s.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`]{1,2}/g, '');
    const cells = (line) => line.replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => inline(c.trim()));
    let listNode = null, listType = '', current = null, table = null;
    for (const raw of markdown.split('\n')) {
      const line = raw.trim();
      const ordered = /^\d+[.)]\s+(.*)$/.exec(line);
      const bullet = /^[-*+]\s+(.*)$/.exec(line);
      if (!line) {
        current = null; table = null;  // a list goes on after a blank line when an item follows
      } else if (line.startsWith('|')) {
        listNode = null; current = null;
        if (/^\|?[\s:|-]+\|?$/.test(line) && line.includes('-')) continue;  // the header rule
        const header = !table;
        if (header) { table = el('table', {}, el('thead'), el('tbody')); out.append(table); }
        const row = el('tr');
        for (const c of cells(line)) row.append(el(header ? 'th' : 'td', { text: c }));
        (header ? table.tHead : table.tBodies[0]).append(row);
      } else if (ordered || bullet) {
        const type = ordered ? 'ol' : 'ul';
        if (!listNode || listType !== type) {
          const first = ordered ? parseInt(line, 10) : 1;
          listNode = el(type, first !== 1 ? { start: String(first) } : {});
          listType = type;
          out.append(listNode);
        }
        current = el('li', { text: inline((ordered || bullet)[1]) });
        listNode.append(current);
        table = null;
      } else if (current) {
        current.append(' ' + inline(line));
      } else if (listNode && /^\s/.test(raw)) {
        current = listNode.lastChild;  // an indented paragraph inside the last item
        current.append(' ' + inline(line));
      } else {
        listNode = null;
        current = el('p', { text: inline(line) });
        out.append(current);
        table = null;
      }
    }
    return out;
  }

  async function showArticle(id) {
    // A view is from search only when a result was clicked; related links, Back and a shared
    // URL are links, even when the article was among the last results.
    const source = state.viewSource || 'link';
    state.viewSource = '';
    showView('article');
    $('feedback-status').textContent = '';
    $('contact-status').textContent = '';
    setVote(null);
    let a;
    try {
      a = await getJson('/v1/articles/' + encodeURIComponent(id));
    } catch (e) {
      $('article-title').textContent = 'Article not found';
      $('article-meta').textContent = '';
      $('article-summary').textContent = e.message;
      $('article-sections').replaceChildren();
      $('article-related').hidden = true;
      return;
    }
    state.article = a;
    document.getElementById('article').setAttribute('lang', a.locale);
    $('article-title').textContent = a.title;
    $('article-meta').textContent = [a.journey, a.subtopic, a.locale, a.updated].filter(Boolean).join(' · ');
    $('article-summary').textContent = a.summary;
    const sections = $('article-sections');
    sections.replaceChildren();
    for (const s of a.sections) {
      if (s.kind === 'related' || s.kind === 'summary' || (s.level === 0 && !s.heading)) continue;
      const box = el('section', { class: 'section-' + s.kind });
      box.append(el('h3', { text: s.heading }), markdownBlocks(s.markdown));
      sections.append(box);
    }
    // The focus moves to the article as soon as it is shown, not after the related articles
    // arrived: until then it would stay on the (hidden) result that was clicked.
    $('article-title').setAttribute('tabindex', '-1');
    $('article-title').focus();
    const relatedIds = [...new Set([...(a.related || []),
      ...(a.links || []).filter((l) => l.internal && l.article_id).map((l) => l.article_id)])].filter((r) => r !== a.id);
    const relatedList = $('related-list');
    relatedList.replaceChildren();
    const related = await Promise.all(relatedIds.map((r) => getJson('/v1/articles/' + encodeURIComponent(r)).catch(() => null)));
    related.filter(Boolean).forEach((r) => {
      relatedList.append(el('li', {}, el('a', { href: '#/article/' + encodeURIComponent(r.id), text: r.title })));
    });
    $('article-related').hidden = relatedList.children.length === 0;
    updateContactLink();
    postEvent({ type: 'view', article: a.id, source });
  }

  // ---- feedback and contact -----------------------------------------------------------------
  // One vote per article and visit: a second click changes it (the store keeps the last).
  function setVote(helpful) {
    $('helpful-yes').setAttribute('aria-pressed', String(helpful === true));
    $('helpful-no').setAttribute('aria-pressed', String(helpful === false));
    const form = $('reason-form');
    form.hidden = helpful !== false;
    if (helpful !== false) { form.reset(); }
  }

  async function feedback(helpful, reasonCode, reason) {
    if (!state.article) return;
    const event = { type: 'feedback', article: state.article.id, helpful };
    if (reasonCode) event.reason_code = reasonCode;
    if (reason) event.reason = reason;
    const ok = await postEvent(event);
    $('feedback-status').textContent = !ok
      ? (state.eventsEnabled ? 'Your feedback could not be recorded.' : 'Feedback is not recorded on this server.')
      : reasonCode || reason ? 'Thank you: this helps us improve the article.'
      : helpful ? 'Thank you for your feedback. You can change your answer.'
      : 'Thank you. What was wrong? You can tell us below.';
  }
  $('helpful-yes').addEventListener('click', () => { setVote(true); feedback(true); });
  $('helpful-no').addEventListener('click', () => { setVote(false); feedback(false); });
  $('reason-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = document.querySelector('#reason-form input[name=reason_code]:checked');
    feedback(false, chosen ? chosen.value : '', $('reason-text').value.trim());
  });

  // The contact link carries what the visitor was doing ({query}, {article}, {journey},
  // {locale} in --contact-url); a ticket is recorded only when they follow it.
  function updateContactLink() {
    const link = $('contact');
    link.hidden = !state.contactUrl;
    if (!state.contactUrl) return;
    const a = state.article || {};
    const values = { query: state.query, article: a.id || '', journey: a.journey || '', locale: state.locale || a.locale || '' };
    link.href = state.contactUrl.replace(/\{(query|article|journey|locale)\}/g, (m, k) => encodeURIComponent(values[k]));
  }
  $('contact').addEventListener('click', () => {
    const event = { type: 'ticket' };
    if (state.article && state.article.journey) event.journey = state.article.journey;
    postEvent(event);
    $('contact-status').textContent = 'The contact page opened in a new tab.';
  });
  $('back').addEventListener('click', () => history.back());
  // "#main" would be taken as a route (and empty the page): the skip link only moves the focus.
  document.querySelector('.skip').addEventListener('click', (e) => {
    e.preventDefault();
    $('main').focus();
  });

  // ---- navigation ---------------------------------------------------------------------------
  function showView(which) {
    $('results-view').hidden = which !== 'results';
    $('article-view').hidden = which !== 'article';
    if (which !== 'results') { $('correction').hidden = true; $('status').textContent = ''; }
  }

  function route() {
    const hash = location.hash;
    if (hash.startsWith('#/article/')) {
      showArticle(decodeURIComponent(hash.slice('#/article/'.length)));
    } else if (hash.startsWith('#/search')) {
      const params = new URLSearchParams(hash.slice(hash.indexOf('?') + 1));
      state.query = params.get('q') || '';
      input.value = state.query;
      runSearch();
    } else {
      showView('none');
      input.focus();
    }
  }

  $('locale').addEventListener('change', (e) => {
    state.locale = e.target.value;
    try { localStorage.setItem('helpmark-locale', state.locale); } catch (err) { /* private mode */ }
    document.documentElement.lang = state.locale || 'en';
    if (!$('results-view').hidden) runSearch(false);
  });

  async function start() {
    try { state.locale = localStorage.getItem('helpmark-locale') || ''; } catch (e) { state.locale = ''; }
    $('locale').value = state.locale;
    try {
      const site = await getJson('/v1/site');
      state.eventsEnabled = !site.events_require_key;
      state.contactUrl = site.contact_url || '';
    } catch (e) {
      state.eventsEnabled = false;
    }
    $('events-note').textContent = state.eventsEnabled
      ? 'Searches, views and feedback on this page are recorded anonymously for the support team.'
      : 'This server requires an API key for events: this page does not record feedback.';
    window.addEventListener('hashchange', route);
    route();
  }
  start();
})();
