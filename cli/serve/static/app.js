// The help center of `helpmark serve`: plain JavaScript, no build step, no dependencies.
//
// One URL per state, so reload, Back and sharing work:
//   /                          home: the journeys (taxonomy labels) and their popular articles
//   /search?q=&journey=&subtopic=&audience=&page=   results, filters, pages
//   /articles/ID               an article (rendered by the server's cmark-gfm)
// each with an optional &locale= (else the visitor's browser languages choose).
//
// Texts from the server are put into the page as text (textContent, text nodes), never as HTML;
// the one exception is the article body, which the server renders itself from Markdown in safe
// mode (raw HTML dropped) and which is parsed into an inert document before its nodes move here.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const I18N = window.HELPMARK_I18N || { en: {} };
  const PAGE_SIZE = 10;
  const state = {
    locale: '', query: '', journeys: new Set(), audiences: new Set(), subtopic: '', page: 1,
    lastSearchId: '', article: null, eventsEnabled: false, viewSource: '', contactUrl: '',
    taxonomy: { default_locale: 'en', locales: Object.keys(I18N), journeys: [] },
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

  // ---- words and labels ---------------------------------------------------------------------
  // The language of the page's own words: the chosen locale, else the default one.
  function uiLocale() {
    const l = state.locale || state.taxonomy.default_locale;
    return I18N[l] ? l : I18N[l.split('-')[0]] ? l.split('-')[0] : 'en';
  }
  function t(key, vars) {
    const text = (I18N[uiLocale()] || {})[key] ?? I18N.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? String(vars[k]) : m));
  }
  function labelOf(labels, id) {
    if (!labels) return id;
    return labels[state.locale] || labels[uiLocale()] || labels[state.taxonomy.default_locale] || id;
  }
  function journeyLabel(id) {
    const j = state.taxonomy.journeys.find((x) => x.id === id);
    return j ? labelOf(j.labels, id) : id;
  }
  function subtopicLabel(journey, id) {
    const j = state.taxonomy.journeys.find((x) => x.id === journey);
    const s = j && j.subtopics.find((x) => x.id === id);
    return s ? labelOf(s.labels, id) : id;
  }
  function audienceLabel(id) {
    const key = 'audience_' + id;
    const text = t(key);
    return text === key ? id : text;
  }
  function translateStatic() {
    document.documentElement.lang = uiLocale();
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
    for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(node.dataset.i18nLabel));
  }
  // `lang` on an element whose text is in another language than the page.
  function markLanguage(node, locale) {
    if (locale && locale !== document.documentElement.lang) node.setAttribute('lang', locale);
    else node.removeAttribute('lang');
  }

  // The locale a visitor's browser asks for, among those the knowledge base publishes.
  function preferredLocale() {
    const available = state.taxonomy.locales;
    for (const wanted of navigator.languages || [navigator.language || '']) {
      const exact = available.find((l) => l.toLowerCase() === wanted.toLowerCase());
      if (exact) return exact;
      const base = wanted.split('-')[0].toLowerCase();
      const same = available.find((l) => l.toLowerCase() === base) || available.find((l) => l.split('-')[0].toLowerCase() === base);
      if (same) return same;
    }
    return state.taxonomy.default_locale;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v);
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

  // keepalive: a click or a ticket is posted as the visitor leaves the page.
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
    let marked = false;
    for (const part of snippet.split(/(<mark>|<\/mark>)/)) {
      if (part === '<mark>') { marked = true; continue; }
      if (part === '</mark>') { marked = false; continue; }
      if (!part) continue;
      const text = document.createTextNode(decode(part));
      out.append(marked ? el('mark', {}, text) : text);
    }
    return out;
  }

  // ---- URLs ---------------------------------------------------------------------------------
  function searchUrl(opts) {
    const p = new URLSearchParams();
    if (opts.q !== undefined) p.set('q', opts.q);
    for (const j of opts.journeys || []) p.append('journey', j);
    if (opts.subtopic) p.set('subtopic', opts.subtopic);
    for (const a of opts.audiences || []) p.append('audience', a);
    if (opts.page && opts.page > 1) p.set('page', String(opts.page));
    if (state.locale) p.set('locale', state.locale);
    return '/search?' + p.toString();
  }
  function articleUrl(id) {
    return '/articles/' + encodeURIComponent(id) + (state.locale ? '?locale=' + encodeURIComponent(state.locale) : '');
  }
  function homeUrl() { return '/' + (state.locale ? '?locale=' + encodeURIComponent(state.locale) : ''); }

  function navigate(url, replace) {
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    route();
  }
  // A plain click on one of our links stays in the page; Ctrl/Cmd/Shift/middle clicks open a
  // tab as links do.
  function inPage(event) {
    return !(event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey);
  }
  function link(href, text, onFollow) {
    const a = el('a', { href, text });
    a.addEventListener('click', (e) => {
      if (onFollow) onFollow();
      if (!inPage(e)) return;
      e.preventDefault();
      navigate(href);
    });
    return a;
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
    newSearch(text);
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
  // A new query starts without filters, on its first page.
  function newSearch(query) {
    navigate(searchUrl({ q: query }));
  }

  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    closeSuggestions();
    newSearch(input.value);
  });

  function currentSearchUrl(page) {
    return searchUrl({ q: state.query, journeys: [...state.journeys], subtopic: state.subtopic,
      audiences: [...state.audiences], page: page || 1 });
  }

  function renderFacet(fieldsetId, counts, selected, label) {
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
        state.subtopic = '';
        // A filter change is the same search refined: the report merges it with the search.
        navigate(currentSearchUrl(1));
      });
      box.append(el('label', { for: id }, cb, ' ' + label(c.value) + ' ', el('span', { class: 'count', text: '(' + c.count + ')' })));
    }
    $(fieldsetId).hidden = !(counts && counts.length);
    if (focused && $(focused)) $(focused).focus();
  }

  function resultItem(h, position) {
    const a = link(articleUrl(h.id), h.title, () => {
      postEvent({ type: 'click', article: h.id, position, search_id: state.lastSearchId });
      state.viewSource = 'search';
    });
    const title = el('h2', { class: 'title' }, a);
    markLanguage(title, h.locale);
    const snippet = el('p', { class: 'snippet' }, snippetNodes(h.snippet));
    markLanguage(snippet, h.locale);
    const meta = [journeyLabel(h.journey), h.subtopic ? subtopicLabel(h.journey, h.subtopic) : ''].filter(Boolean).join(' › ');
    return el('li', {}, title, snippet, el('p', { class: 'meta', text: meta }));
  }

  // `record` is false when the same search is only shown again (another language): a replay is
  // not something the visitor searched.
  async function runSearch(record) {
    showView('results');
    const q = state.query;
    const params = [['q', q], ['locale', state.locale], ['facet', 'journey,audience'], ['limit', String(PAGE_SIZE)],
      ['offset', String((state.page - 1) * PAGE_SIZE)]];
    for (const j of state.journeys) params.push(['journey', j]);
    if (state.subtopic) params.push(['subtopic', state.subtopic]);
    for (const a of state.audiences) params.push(['audience', a]);
    $('status').textContent = t('searching');
    let data;
    try {
      data = await getJson('/v1/search', params);
    } catch (e) {
      $('status').textContent = t('search_failed', { error: e.message });
      return;
    }
    const correction = $('correction');
    correction.replaceChildren();
    correction.hidden = true;
    if (data.corrected_query) {
      correction.hidden = false;
      const c = data.corrected_query;
      const [before, after] = t(data.auto_corrected ? 'showing_for' : 'did_you_mean', { q }).split('{c}');
      const middle = data.auto_corrected ? el('strong', { text: c }) : link(searchUrl({ q: c }), c);
      correction.append(before, middle, after || '');
    }
    const results = $('results');
    results.replaceChildren();
    data.hits.forEach((h, i) => results.append(resultItem(h, (state.page - 1) * PAGE_SIZE + i + 1)));
    const n = data.total;
    $('status').textContent = n === 0 ? t('no_results_for', { q })
      : q ? t(n === 1 ? 'result_for' : 'results_for', { n, q }) : t(n === 1 ? 'result' : 'results', { n });
    document.title = (q ? q + ' – ' : '') + productName();
    renderFacet('facet-journey', data.facets.journey, state.journeys, journeyLabel);
    renderFacet('facet-audience', data.facets.audience, state.audiences, audienceLabel);
    $('filters-toggle').hidden = !((data.facets.journey || []).length || (data.facets.audience || []).length);
    renderPager(n);
    renderBreadcrumbs(state.journeys.size === 1 ? [...state.journeys][0] : '', state.subtopic, '');
    const noResults = $('no-results');
    noResults.hidden = n !== 0;
    if (n === 0) showPopular(state.journeys.size === 1 ? [...state.journeys][0] : '');
    if (!record) return;
    state.lastSearchId = 'search-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 8);
    const filters = {};
    if (state.journeys.size) filters.journey = [...state.journeys];
    if (state.subtopic) filters.subtopic = [state.subtopic];
    if (state.audiences.size) filters.audience = [...state.audiences];
    postEvent({ type: 'search', id: state.lastSearchId, query: q, total: data.total,
      results: data.hits.map((h) => h.id), filters });
  }

  function renderPager(total) {
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    $('pager').hidden = pages <= 1;
    const set = (node, page) => {
      if (page >= 1 && page <= pages) node.setAttribute('href', currentSearchUrl(page));
      else node.removeAttribute('href');  // a link without href is not focusable: nothing to go to
    };
    set($('prev-page'), state.page - 1);
    set($('next-page'), state.page + 1);
    $('page-of').textContent = t('page_of', { p: state.page, n: pages });
  }
  for (const id of ['prev-page', 'next-page']) {
    $(id).addEventListener('click', (e) => {
      const href = e.currentTarget.getAttribute('href');
      if (!href || !inPage(e)) return;
      e.preventDefault();
      navigate(href);
      $('main').focus();
    });
  }

  // Popular articles for a no-results page: the journey's featured ones, else its first.
  async function showPopular(journey) {
    const listNode = $('popular-list');
    listNode.replaceChildren();
    try {
      const data = await getJson('/v1/search', [['q', ''], ['locale', state.locale], ['limit', '5'], ['journey', journey]]);
      for (const h of data.hits) {
        const item = el('li', {}, link(articleUrl(h.id), h.title, () => { state.viewSource = 'link'; }));
        markLanguage(item, h.locale);
        listNode.append(item);
      }
    } catch (e) { /* the list stays empty */ }
    updateContactLinks();
  }

  $('filters-toggle').addEventListener('click', (e) => {
    const open = e.currentTarget.getAttribute('aria-expanded') !== 'true';
    e.currentTarget.setAttribute('aria-expanded', String(open));
    $('filters').classList.toggle('open', open);
  });

  // ---- home ---------------------------------------------------------------------------------
  async function showHome() {
    showView('home');
    renderBreadcrumbs('', '', '');
    document.title = productName();
    const box = $('journeys');
    box.replaceChildren();
    const cards = state.taxonomy.journeys.map((j) => {
      const articles = el('ul', { class: 'top-articles' });
      const subtopics = el('ul', { class: 'subtopics' });
      for (const s of j.subtopics)
        subtopics.append(el('li', {}, link(searchUrl({ q: '', journeys: [j.id], subtopic: s.id }), labelOf(s.labels, s.id))));
      const heading = el('h2', {}, link(searchUrl({ q: '', journeys: [j.id] }), labelOf(j.labels, j.id)));
      box.append(el('li', { class: 'journey' }, heading, subtopics, el('h3', { text: t('top_articles') }), articles));
      return { j, articles };
    });
    // Each journey's articles: its featured ones first (taxonomy `articles:`), then the first
    // it lists. These lookups are the page's own, not searches: nothing is recorded.
    await Promise.all(cards.map(async ({ j, articles }) => {
      try {
        const data = await getJson('/v1/search', [['q', ''], ['locale', state.locale], ['journey', j.id], ['limit', '20']]);
        const featured = new Set([...j.articles, ...j.subtopics.flatMap((s) => s.articles)]);
        const hits = [...data.hits.filter((h) => featured.has(h.id)), ...data.hits.filter((h) => !featured.has(h.id))].slice(0, 3);
        for (const h of hits) {
          const item = el('li', {}, link(articleUrl(h.id), h.title, () => { state.viewSource = 'link'; }));
          markLanguage(item, h.locale);
          articles.append(item);
        }
      } catch (e) { /* a card without articles still links to its journey */ }
    }));
  }

  // ---- breadcrumbs --------------------------------------------------------------------------
  function renderBreadcrumbs(journey, subtopic, title) {
    const nav = $('breadcrumbs');
    const ol = nav.querySelector('ol');
    ol.replaceChildren();
    if (!journey && !title) { nav.hidden = true; return; }
    const crumbs = [[homeUrl(), t('home')]];
    if (journey) crumbs.push([searchUrl({ q: '', journeys: [journey] }), journeyLabel(journey)]);
    if (journey && subtopic) crumbs.push([searchUrl({ q: '', journeys: [journey], subtopic }), subtopicLabel(journey, subtopic)]);
    crumbs.forEach(([href, text]) => ol.append(el('li', {}, link(href, text))));
    if (title) ol.append(el('li', {}, el('span', { 'aria-current': 'page', text: title })));
    else ol.lastChild.firstChild.setAttribute('aria-current', 'page');
    nav.hidden = false;
  }

  // ---- article ------------------------------------------------------------------------------
  // The body the server rendered with cmark-gfm (GET /v1/articles/ID?format=html), moved into
  // the page; its links to other articles open them here.
  async function articleBody(id) {
    const res = await fetch('/v1/articles/' + encodeURIComponent(id) + '?format=html');
    if (!res.ok) throw new Error('HTTP ' + res.status);
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const article = doc.querySelector('article');
    const out = document.createDocumentFragment();
    if (!article) return out;
    for (const node of [...article.children]) {
      if (node.tagName === 'H1' || node.classList.contains('meta')) continue;  // the page shows its own
      // Headings one level down: the page's title is the h1.
      const level = /^H([1-5])$/.exec(node.tagName);
      const moved = level ? el('h' + (Number(level[1]) + 1), {}, ...node.childNodes) : document.importNode(node, true);
      out.append(moved);
    }
    for (const a of out.querySelectorAll('a[href]')) {
      const internal = /^\/(?:v1\/)?articles\/([^/?#]+)/.exec(a.getAttribute('href'));
      if (internal) {
        const id = decodeURIComponent(internal[1]);
        a.setAttribute('href', articleUrl(id));
        a.addEventListener('click', (e) => {
          state.viewSource = 'link';
          if (!inPage(e)) return;
          e.preventDefault();
          navigate(articleUrl(id));
        });
      } else if (/^https?:/.test(a.getAttribute('href'))) {
        a.setAttribute('rel', 'noopener');
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
    let a, body;
    try {
      [a, body] = await Promise.all([getJson('/v1/articles/' + encodeURIComponent(id)), articleBody(id)]);
    } catch (e) {
      state.article = null;
      $('article-title').textContent = t('not_found');
      $('article-meta').textContent = '';
      $('article-body').replaceChildren(el('p', { text: t('not_found_text') }));
      $('article-related').hidden = true;
      $('feedback').hidden = true;
      renderBreadcrumbs('', '', t('not_found'));
      document.title = t('not_found') + ' – ' + productName();
      return;
    }
    state.article = a;
    $('feedback').hidden = false;
    markLanguage($('article'), a.locale);
    $('article-title').textContent = a.title;
    document.title = a.title + ' – ' + productName();
    $('article-meta').textContent = a.updated ? t('updated', { date: a.updated }) : '';
    $('article-body').replaceChildren(body);
    renderBreadcrumbs(a.journey, a.subtopic, a.title);
    // The focus moves to the article as soon as it is shown, not after the related articles
    // arrived: until then it would stay on the (hidden) result that was clicked.
    $('article-title').focus();
    // Related articles named in the front matter but not linked from the body.
    const linked = new Set([...$('article-body').querySelectorAll('a[href^="/articles/"]')]
      .map((n) => decodeURIComponent(n.getAttribute('href').split('/')[2].split('?')[0])));
    const relatedIds = [...new Set(a.related || [])].filter((r) => r !== a.id && !linked.has(r));
    const relatedList = $('related-list');
    relatedList.replaceChildren();
    const related = await Promise.all(relatedIds.map((r) => getJson('/v1/articles/' + encodeURIComponent(r)).catch(() => null)));
    related.filter(Boolean).forEach((r) => {
      const item = el('li', {}, link(articleUrl(r.id), r.title, () => { state.viewSource = 'link'; }));
      markLanguage(item, r.locale);
      relatedList.append(item);
    });
    $('article-related').hidden = relatedList.children.length === 0;
    updateContactLinks();
    postEvent({ type: 'view', article: a.id, source });
  }

  // ---- feedback and contact -----------------------------------------------------------------
  // One vote per article and visit: a second click changes it (the store keeps the last).
  function setVote(helpful) {
    $('helpful-yes').setAttribute('aria-pressed', String(helpful === true));
    $('helpful-no').setAttribute('aria-pressed', String(helpful === false));
    const form = $('reason-form');
    form.hidden = helpful !== false;
    if (helpful !== false) form.reset();
  }

  async function feedback(helpful, reasonCode, reason) {
    if (!state.article) return;
    const event = { type: 'feedback', article: state.article.id, helpful };
    if (reasonCode) event.reason_code = reasonCode;
    if (reason) event.reason = reason;
    const ok = await postEvent(event);
    $('feedback-status').textContent = !ok ? t(state.eventsEnabled ? 'feedback_failed' : 'feedback_off')
      : reasonCode || reason ? t('thanks_reason') : t(helpful ? 'thanks_yes' : 'thanks_no');
  }
  $('helpful-yes').addEventListener('click', () => { setVote(true); feedback(true); });
  $('helpful-no').addEventListener('click', () => { setVote(false); feedback(false); });
  $('reason-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = document.querySelector('#reason-form input[name=reason_code]:checked');
    feedback(false, chosen ? chosen.value : '', $('reason-text').value.trim());
  });

  // The contact links carry what the visitor was doing ({query}, {article}, {journey},
  // {locale} in --contact-url); a ticket is recorded only when one is followed.
  function updateContactLinks() {
    const a = state.article || {};
    const journey = a.journey || (state.journeys.size === 1 ? [...state.journeys][0] : '');
    const values = { query: state.query, article: a.id || '', journey, locale: state.locale || a.locale || '' };
    const href = state.contactUrl.replace(/\{(query|article|journey|locale)\}/g, (m, k) => encodeURIComponent(values[k]));
    $('contact').hidden = !state.contactUrl;
    document.querySelector('#no-results .contact-line').hidden = !state.contactUrl;
    for (const node of document.querySelectorAll('a.contact')) if (state.contactUrl) node.href = href;
  }
  for (const node of document.querySelectorAll('a.contact')) {
    node.addEventListener('click', () => {
      const event = { type: 'ticket' };
      const journey = state.article && !$('article-view').hidden ? state.article.journey
        : state.journeys.size === 1 ? [...state.journeys][0] : '';
      if (journey) event.journey = journey;
      postEvent(event);
      $('contact-status').textContent = t('contact_opened');
    });
  }
  // "#main" would change the URL: the skip link only moves the focus.
  document.querySelector('.skip').addEventListener('click', (e) => {
    e.preventDefault();
    $('main').focus();
  });
  $('home-link').addEventListener('click', (e) => {
    if (!inPage(e)) return;
    e.preventDefault();
    navigate(homeUrl());
  });

  // ---- navigation ---------------------------------------------------------------------------
  function showView(which) {
    for (const view of ['home', 'results', 'article']) $(view + '-view').hidden = which !== view;
    if (which !== 'results') { $('correction').hidden = true; $('status').textContent = ''; }
  }

  function productName() { return $('product-name').textContent; }

  // The locale of the URL, else the one chosen before in this browser, else the browser's.
  function applyLocale(params) {
    let locale = params.get('locale');
    if (locale === null) {
      try { locale = localStorage.getItem('helpmark-locale'); } catch (e) { locale = null; }
    }
    if (locale === null) locale = preferredLocale();
    if (locale && !state.taxonomy.locales.includes(locale)) locale = preferredLocale();
    const changed = locale !== state.locale;
    state.locale = locale;
    $('locale').value = locale;
    if (changed) translateStatic();
  }

  function route() {
    const params = new URLSearchParams(location.search);
    applyLocale(params);
    const path = location.pathname;
    if (path.startsWith('/articles/')) {
      showArticle(decodeURIComponent(path.slice('/articles/'.length)));
    } else if (path === '/search') {
      state.query = params.get('q') || '';
      state.journeys = new Set(params.getAll('journey'));
      state.audiences = new Set(params.getAll('audience'));
      state.subtopic = params.get('subtopic') || '';
      state.page = Math.max(1, Math.min(10000, parseInt(params.get('page') || '1', 10) || 1));
      input.value = state.query;
      state.article = null;
      runSearch(true);
    } else {
      state.article = null;
      input.value = '';
      showHome();
    }
  }

  $('locale').addEventListener('change', (e) => {
    state.locale = e.target.value;
    try { localStorage.setItem('helpmark-locale', state.locale); } catch (err) { /* private mode */ }
    translateStatic();
    const url = new URL(location.href);
    if (state.locale) url.searchParams.set('locale', state.locale); else url.searchParams.delete('locale');
    history.replaceState(null, '', url);
    // The same view in the new language; a search shown again is not recorded.
    if (!$('results-view').hidden) runSearch(false);
    else if (!$('home-view').hidden) showHome();
    else if (state.article) updateEventsNote();
  });

  function fillLocales() {
    const select = $('locale');
    select.replaceChildren();
    for (const l of state.taxonomy.locales)
      select.append(el('option', { value: l, lang: l, text: (I18N[l] || I18N[l.split('-')[0]] || {}).language_name || l }));
    select.append(el('option', { value: '', 'data-i18n': 'all_languages', text: t('all_languages') }));
  }

  // The --site file: product name, logo, accent colour, footer links.
  function applySite(site) {
    if (site.name) $('product-name').textContent = site.name;
    if (site.accent) document.documentElement.style.setProperty('--accent', site.accent);
    if (site.logo) $('home-link').prepend(el('img', { src: site.logo, alt: '', class: 'logo' }));
    const links = $('footer-links');
    for (const l of site.footer_links || []) links.querySelector('ul').append(el('li', {}, el('a', { href: l.url, text: l.label })));
    links.hidden = !(site.footer_links || []).length;
  }

  function updateEventsNote() {
    $('events-note').textContent = t(state.eventsEnabled ? 'events_on' : 'events_off');
  }

  async function start() {
    // Links of the earlier demo page (#/search?q=…, #/article/ID) still work.
    if (location.hash.startsWith('#/search')) history.replaceState(null, '', '/search?' + location.hash.split('?')[1]);
    else if (location.hash.startsWith('#/article/')) history.replaceState(null, '', '/articles/' + location.hash.slice(10));
    const [site, taxonomy] = await Promise.all([getJson('/v1/site').catch(() => null), getJson('/v1/taxonomy').catch(() => null)]);
    state.eventsEnabled = !!site && !site.events_require_key;
    state.contactUrl = (site && site.contact_url) || '';
    if (site) applySite(site);
    if (taxonomy) state.taxonomy = taxonomy;
    fillLocales();
    state.locale = null;  // applyLocale translates on the first route
    window.addEventListener('popstate', route);
    route();
    updateEventsNote();
    new MutationObserver(updateEventsNote).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }
  start();
})();
