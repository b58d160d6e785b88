// Gleaner web app: search, article, map and timeline over the JSON API.
//
// Everything that comes from a page (titles, text, names, snippets) is put
// into the document as text nodes, never as markup: an article that contains
// "<script>" shows those characters. The server's Content-Security-Policy is
// a second guard. No framework and no build step; views are plain functions
// that fill <main> from the hash route (#/search?…, #/article/ID, #/map, #/timeline).
'use strict';

const main = document.getElementById('main');
const errorBox = document.getElementById('error');

// ---- small helpers ---------------------------------------------------------

/** Builds an element; string children become text nodes. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'onclick') node.addEventListener('click', v);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Builds an SVG element (attributes only; text through textContent). */
function svg(tag, attrs, text) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Only http(s) addresses become links: a page can't smuggle javascript: URLs. */
function safeHref(url) {
  return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null;
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = !message;
}

/** GET /api/…; a non-2xx answer throws with the server's message. */
async function api(path, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') qs.set(k, v);
  const url = path + (qs.toString() ? '?' + qs : '');
  const resp = await fetch(url, { headers: { Accept: 'application/json' } });
  let body = null;
  try { body = await resp.json(); } catch (_) { /* not JSON: reported below */ }
  if (!resp.ok) {
    const msg = body && body.error ? body.error.message : resp.statusText;
    throw new Error(`${resp.status}: ${msg}`);
  }
  return body;
}

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { view: parts[0] || 'search', arg: parts[1], params: new URLSearchParams(query || '') };
}

function link(view, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v) qs.set(k, v);
  return '#/' + view + (qs.toString() ? '?' + qs : '');
}

const TYPE_COLOURS = ['#c0392b', '#2471a3', '#229954', '#b9770e', '#7d3c98', '#138d75', '#a04000', '#2e4053', '#d35400', '#1abc9c', '#884ea0', '#5d6d7e'];
const typeColour = (() => {
  const seen = new Map();
  return (type) => {
    if (!seen.has(type)) seen.set(type, TYPE_COLOURS[seen.size % TYPE_COLOURS.length]);
    return seen.get(type);
  };
})();

// ---- search ----------------------------------------------------------------

const FILTERS = ['q', 'from', 'to', 'publisher', 'lang', 'place', 'country', 'type', 'sort'];
const FACET_NAMES = { publisher: 'Publisher', lang: 'Language', country: 'Country', type: 'Event type' };

/** "…the [flood] barriers…" → text with <mark>s. */
function snippet(text) {
  const out = el('div', { class: 'snippet' });
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    out.append(text.slice(last, m.index), el('mark', {}, m[1]));
    last = re.lastIndex;
  }
  out.append(text.slice(last));
  return out;
}

function hitItem(h) {
  return el('li', { class: 'hit' },
    el('a', { class: 'title', href: link('article/' + h.id) }, h.title || '(untitled)'),
    el('div', { class: 'meta' }, [h.published, h.publisher, h.language].filter(Boolean).join(' · ')),
    h.snippet ? snippet(h.snippet) : null);
}

async function searchView(params) {
  const filters = {};
  for (const k of FILTERS) if (params.get(k)) filters[k] = params.get(k);
  document.getElementById('q').value = filters.q || '';
  const data = await api('/api/records', { ...filters, facets: 'true', limit: 20 });
  const facets = el('aside', { class: 'facets' });
  for (const [name, label] of Object.entries(FACET_NAMES)) {
    const values = (data.facets && data.facets[name]) || [];
    if (!values.length) continue;
    facets.append(el('h3', {}, label), el('ul', {}, values.map((f) => {
      const on = filters[name] === f.value;
      const next = { ...filters, [name]: on ? '' : f.value };
      return el('li', {}, el('a', { href: link('search', next), class: on ? 'on' : null },
        el('span', {}, f.value), el('span', { class: 'count' }, f.count)));
    })));
  }
  const chips = el('div', { class: 'chips' }, Object.entries(filters).filter(([k]) => k !== 'q').map(([k, v]) =>
    el('a', { class: 'chip', href: link('search', { ...filters, [k]: '' }), title: 'remove this filter' }, `${k}: ${v} ✕`)));
  const sort = el('select', { 'aria-label': 'Sort' }, ['relevance', 'newest', 'oldest'].map((s) =>
    el('option', { value: s, selected: (filters.sort || 'relevance') === s }, s)));
  sort.addEventListener('change', () => { location.hash = link('search', { ...filters, sort: sort.value }); });
  const list = el('ol', { class: 'results' }, data.records.map(hitItem));
  const more = el('button', { class: 'plain', hidden: !data.next }, 'More results');
  let cursor = data.next;
  more.addEventListener('click', async () => {
    const page = await api('/api/records', { ...filters, cursor, limit: 20 });
    list.append(...page.records.map(hitItem));
    cursor = page.next;
    more.hidden = !cursor;
  });
  const heading = data.records.length
    ? (filters.q ? `Results for “${filters.q}”` : 'Newest records')
    : 'Nothing matches; remove a filter or try other words.';
  main.replaceChildren(el('div', { class: 'layout' }, facets,
    el('section', {}, el('div', { class: 'controls' }, el('h2', { style: null }, heading), el('label', {}, 'Sort ', sort)), chips, list, more)));
}

// ---- article -----------------------------------------------------------------

/** Character offsets in the record are code points; JS strings are UTF-16. */
function highlighted(text, spans) {
  const cps = Array.from(text);
  const bounds = new Set([0, cps.length]);
  const clean = spans.filter((s) => s.start >= 0 && s.end <= cps.length && s.start < s.end);
  for (const s of clean) { bounds.add(s.start); bounds.add(s.end); }
  const cuts = [...bounds].sort((a, b) => a - b);
  const out = el('div', { class: 'text', id: 'record-text' });
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const piece = cps.slice(a, b).join('');
    const covering = clean.filter((s) => s.start <= a && s.end >= b);
    if (!covering.length) { out.append(piece); continue; }
    const classes = [...new Set(covering.map((s) => s.cls))].join(' ');
    const title = covering.map((s) => s.title).filter(Boolean).join('\n');
    const attrs = { class: classes, title: title || null };
    for (const s of covering) if (s.data) Object.assign(attrs, s.data);
    out.append(el('span', attrs, piece));
  }
  return out;
}

/** Where the speaker of a quote is named: the occurrence closest to the quote. */
function speakerSpan(cps, quote) {
  const name = Array.from(quote.speaker || '');
  if (name.length < 2) return null;
  let best = null;
  for (let i = 0; i + name.length <= cps.length; i++) {
    let hit = true;
    for (let j = 0; j < name.length; j++) if (cps[i + j] !== name[j]) { hit = false; break; }
    if (!hit) continue;
    const dist = i >= quote.span[1] ? i - quote.span[1] : Math.max(0, quote.span[0] - (i + name.length));
    if (!best || dist < best.dist) best = { start: i, end: i + name.length, dist };
  }
  return best && best.dist < 400 ? best : null;
}

function flashTo(selector) {
  const node = document.querySelector(selector);
  if (!node) return;
  node.scrollIntoView({ behavior: 'smooth', block: 'center' });
  node.classList.add('flash');
  setTimeout(() => node.classList.remove('flash'), 1500);
}

// A figure as the record states it: value, then its unit or what it counts.
function figureValue(q) {
  return `${q.value}${q.unit ? ' ' + q.unit : ''}${q.counted ? ' ' + q.counted : ''}`;
}

// An event's date; a publication-month fallback is shown as such, not as a finding.
function eventDate(e) {
  if (!e.date) return '';
  return e.date_basis === 'published' ? ` in ${e.date} (publication month: the text gives no date)` : ` on ${e.date}`;
}

async function articleView(id) {
  const [rec, copies] = await Promise.all([api('/api/records/' + encodeURIComponent(id)), api('/api/records/' + encodeURIComponent(id) + '/copies')]);
  const cps = Array.from(rec.text || '');
  const spans = [];
  for (const e of rec.entities || []) {
    const where = e.place ? ` — ${e.place.name}${e.place.country ? ', ' + e.place.country : ''}` : '';
    spans.push({ start: e.span[0], end: e.span[1], cls: 'hl-ent hl-ent-' + e.label, title: `${e.label}${where}` });
  }
  for (const t of rec.times || []) spans.push({ start: t.span[0], end: t.span[1], cls: 'hl-time', title: 'time: ' + t.value });
  for (const q of rec.quantities || []) spans.push({ start: q.span[0], end: q.span[1], cls: 'hl-qty', title: 'figure: ' + figureValue(q) });
  (rec.quotes || []).forEach((q, i) => {
    spans.push({ start: q.span[0], end: q.span[1], cls: 'hl-quote', title: 'quote' + (q.speaker ? ' — ' + q.speaker : ''), data: { 'data-quote': i } });
    const sp = speakerSpan(cps, q);
    if (sp) spans.push({ start: sp.start, end: sp.end, cls: 'hl-speaker', title: 'speaker of a quote', data: { 'data-speaker-of': i } });
  });
  (rec.events || []).forEach((e, i) => {
    spans.push({ start: e.evidence_span[0], end: e.evidence_span[1], cls: 'hl-event', title: `event: ${e.type}${e.place ? ' at ' + e.place : ''}${eventDate(e)}`, data: { 'data-event': i } });
  });

  const meta = el('dl', { class: 'meta-table' });
  const row = (k, v) => { if (v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)) meta.append(el('dt', {}, k), el('dd', {}, v)); };
  row('Publisher', rec.publisher);
  row('Published', rec.published);
  row('Modified', rec.modified);
  row('Authors', (rec.authors || []).join(', '));
  row('Language', rec.language);
  row('Address', safeHref(rec.url) ? el('a', { href: rec.url, rel: 'noopener noreferrer nofollow' }, rec.url) : rec.url);
  const syn = rec.syndication;
  if (syn) {
    row('Original publisher', syn.original_publisher);
    row('Reprint notice', syn.notice);
    if (syn.duplicate_of) row('Copy of', el('a', { href: link('article/' + syn.duplicate_of) }, syn.duplicate_of));
  }
  // The evidence a fetched page keeps (gleaner watch, or any WARC): where
  // the archived response is and what it hashes to (gleaner replay ID).
  const input = rec.input || {};
  if (input.kind === 'warc' && input.offset !== undefined && input.offset !== null) {
    const file = String(input.path || '').split('/').pop();
    row('Archived copy', `fetched at ${rec.fetched_at || 'an unknown time'}, digest ${input.payload_digest || 'not stated'} (${file} at byte ${input.offset})`);
  }
  row('Record id', rec.id);

  const legend = el('div', { class: 'legend' },
    ['PERSON', 'ORG', 'PLACE', 'GROUP'].map((l) => el('span', { class: 'hl-ent-' + l }, l.toLowerCase())),
    el('span', { class: 'hl-time' }, 'time'), el('span', { class: 'hl-qty' }, 'figure'),
    el('span', { class: 'hl-quote' }, 'quote'), el('span', { class: 'hl-speaker' }, 'speaker'), el('span', { class: 'hl-event' }, 'event evidence'));

  const section = (title, items) => items.length ? el('section', {}, el('h3', {}, title), el('ul', {}, items)) : null;
  const quotes = (rec.quotes || []).map((q, i) => el('li', { class: 'quote-item' },
    el('a', { href: '#', onclick: (ev) => { ev.preventDefault(); flashTo(`[data-quote="${i}"]`); } }, '“' + q.text.slice(0, 140) + (q.text.length > 140 ? '…' : '') + '”'),
    ' — ', el('strong', { class: 'speaker' }, q.speaker || 'unattributed'), q.anonymous ? el('span', { class: 'muted' }, ' (anonymous source)') : null));
  const events = (rec.events || []).map((e, i) => el('li', {},
    el('a', { href: '#', onclick: (ev) => { ev.preventDefault(); flashTo(`[data-event="${i}"]`); } }, e.type + (e.subtype ? ` (${e.subtype})` : '')),
    [e.place && ` at ${e.place}`, eventDate(e), e.negated && ' — negated', e.hedged && ' — hedged', e.attributed_to && ` — according to ${e.attributed_to}`].filter(Boolean).join('')));
  const people = new Map();
  for (const e of rec.entities || []) {
    const key = e.label + '\u0000' + (e.place ? e.place.name : e.text);
    people.set(key, (people.get(key) || 0) + 1);
  }
  const entities = [...people.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, n]) => {
    const [label, name] = k.split('\u0000');
    const target = label === 'PLACE' ? link('search', { place: name }) : link('search', { q: name });
    return el('li', {}, el('a', { href: target }, name), el('span', { class: 'muted' }, ` ${label.toLowerCase()}${n > 1 ? ' ×' + n : ''}`));
  });
  const copyItems = (copies.copies || []).map((c) => el('li', {},
    el('a', { href: link('article/' + c.id) }, c.title || c.id), el('span', { class: 'muted' }, ` ${[c.publisher, c.published].filter(Boolean).join(', ')} · ${Math.round(c.similarity * 100)}% similar`)));
  const urls = (copies.urls || []).map((u) => el('li', {}, safeHref(u) ? el('a', { href: u, rel: 'noopener noreferrer nofollow' }, u) : u));
  const figures = (rec.quantities || []).map((q) => el('li', {}, q.text, el('span', { class: 'muted' }, ' = ' + figureValue(q))));
  const times = (rec.times || []).map((t) => el('li', {}, t.text, el('span', { class: 'muted' }, ` = ${t.value}`)));

  main.replaceChildren(el('article', { class: 'record' },
    el('div', {}, el('h1', { id: 'record-title' }, rec.title || '(untitled)'), legend, highlighted(rec.text || '', spans)),
    el('aside', { class: 'side' },
      el('section', {}, el('h3', {}, 'About this record'), meta),
      section('Quotes', quotes), section('Events', events), section('Named', entities),
      section('Dates', times), section('Figures', figures),
      section('Copies elsewhere', copyItems), section('Seen at', urls))));
  document.title = (rec.title || 'Record') + ' — Gleaner';
}

// ---- map -------------------------------------------------------------------

/** Decodes a TopoJSON object (world-atlas) into GeoJSON features. */
function topoFeatures(topo, name) {
  const t = topo.transform;
  const arcs = topo.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx; y += dy;
      return t ? [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]] : [dx, dy];
    });
  });
  const ring = (ids) => {
    const pts = [];
    for (const i of ids) {
      let a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
      if (pts.length) a = a.slice(1); // arcs share their end points
      pts.push(...a);
    }
    return pts;
  };
  const features = [];
  for (const g of topo.objects[name].geometries) {
    let geometry = null;
    if (g.type === 'Polygon') geometry = { type: 'Polygon', coordinates: g.arcs.map(ring) };
    else if (g.type === 'MultiPolygon') geometry = { type: 'MultiPolygon', coordinates: g.arcs.map((p) => p.map(ring)) };
    if (geometry) features.push({ type: 'Feature', properties: g.properties || {}, geometry });
  }
  return { type: 'FeatureCollection', features };
}

let countries = null;
async function countryLayer() {
  if (!countries) {
    const resp = await fetch('/assets/countries-50m.json');
    countries = topoFeatures(await resp.json(), 'countries');
  }
  return L.geoJSON(countries, {
    renderer: L.canvas(),
    interactive: false,
    style: { color: '#8a97a3', weight: 0.6, fillColor: '#f4f1ea', fillOpacity: 1 },
  });
}

/**
 * Groups points that fall within `cell` pixels of each other at the map's
 * zoom into one marker showing how many there are; recomputed on zoom.
 */
function clusterLayer(map, items, kind, popup) {
  const layer = L.layerGroup();
  const draw = () => {
    layer.clearLayers();
    const cell = 56;
    const groups = new Map();
    for (const it of items) {
      const p = map.project([it.lat, it.lon], map.getZoom());
      const key = Math.floor(p.x / cell) + ':' + Math.floor(p.y / cell);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(it);
    }
    for (const group of groups.values()) {
      const weight = group.reduce((s, it) => s + it.weight, 0);
      const lat = group.reduce((s, it) => s + it.lat, 0) / group.length;
      const lon = group.reduce((s, it) => s + it.lon, 0) / group.length;
      const size = Math.round(22 + Math.min(26, Math.log2(1 + weight) * 4));
      // Events sit above and to the right of their point, places on it, so
      // a place and an event at the same spot are both visible and clickable.
      const anchor = kind === 'events' ? [-Math.round(size * 0.2), Math.round(size * 1.2)] : [size / 2, size / 2];
      const icon = L.divIcon({ className: '', html: '', iconSize: [size, size], iconAnchor: anchor });
      const marker = L.marker([lat, lon], { icon, keyboard: true, title: group.map((g) => g.label).slice(0, 5).join(', ') });
      marker.on('add', () => {
        const node = marker.getElement();
        if (!node) return;
        const dot = el('div', { class: `gl-cluster gl-${kind}`, 'data-count': weight }, String(weight));
        dot.style.width = size + 'px';
        dot.style.height = size + 'px';
        node.replaceChildren(dot);
      });
      marker.bindPopup(() => popup(group));
      layer.addLayer(marker);
    }
  };
  map.on('zoomend', draw);
  draw();
  return layer;
}

async function mapView(params) {
  const country = params.get('country') || '';
  const [places, events] = await Promise.all([
    api('/api/places', { limit: 2000, country }),
    api('/api/events', { limit: 1000, country }),
  ]);
  const box = el('div', { id: 'map', role: 'application', 'aria-label': 'Map of places and events' });
  const note = el('p', { class: 'muted' }, `${places.places.length} places mentioned, ${events.events.length} events placed` +
    (country ? ` in ${country}` : '') + '. Blue: places (articles mentioning them). Red: events. Click a marker for the list.');
  main.replaceChildren(note, box);
  const map = L.map(box, { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5 });
  map.attributionControl.addAttribution('Outlines: Natural Earth via world-atlas');
  (await countryLayer()).addTo(map);
  const placeItems = places.places.map((p) => ({ lat: p.lat, lon: p.lon, weight: p.records, label: p.name, place: p }));
  const eventItems = events.events.filter((e) => e.lat !== null && e.lon !== null)
    .map((e) => ({ lat: e.lat, lon: e.lon, weight: 1, label: `${e.type} at ${e.place}`, event: e }));
  const placePopup = (group) => el('div', {}, el('strong', {}, group.length === 1 ? group[0].label : `${group.length} places`),
    el('ul', {}, group.slice(0, 12).map((g) => el('li', {},
      el('a', { href: link('search', { place: g.place.name }) }, g.place.name), ` — ${g.place.records} article${g.place.records === 1 ? '' : 's'}${g.place.events ? `, ${g.place.events} event${g.place.events === 1 ? '' : 's'}` : ''}`))));
  const eventPopup = (group) => el('div', {}, el('strong', {}, `${group.length} event${group.length === 1 ? '' : 's'}`),
    el('ul', {}, group.slice(0, 12).map((g) => el('li', {}, `${g.event.type} at ${g.event.place}${g.event.date ? ' on ' + g.event.date : ''}: `,
      g.event.sources.slice(0, 3).map((s, i) => el('a', { href: link('article/' + s.record_id) }, i ? ` [${i + 1}]` : '[source]'))))));
  const placeLayer = clusterLayer(map, placeItems, 'places', placePopup).addTo(map);
  const eventLayer = clusterLayer(map, eventItems, 'events', eventPopup).addTo(map);
  L.control.layers(null, { 'Places': placeLayer, 'Events': eventLayer }, { collapsed: false }).addTo(map);
  const pts = placeItems.concat(eventItems).map((i) => [i.lat, i.lon]);
  if (pts.length) map.fitBounds(pts, { padding: [40, 40], maxZoom: 6 });
  else map.setView([20, 0], 2);
}

// ---- timeline --------------------------------------------------------------

/** Every bucket from the first to the last, so gaps show as gaps. */
function allBuckets(first, last, bucket) {
  const out = [];
  if (bucket === 'month') {
    let [y, m] = first.split('-').map(Number);
    const [ly, lm] = last.split('-').map(Number);
    while ((y < ly || (y === ly && m <= lm)) && out.length < 5000) {
      out.push(`${y}-${String(m).padStart(2, '0')}`);
      m += 1;
      if (m > 12) { m = 1; y += 1; }
    }
  } else {
    const step = bucket === 'week' ? 7 : 1;
    let d = new Date(first + 'T00:00:00Z');
    const end = new Date(last + 'T00:00:00Z');
    while (d <= end && out.length < 5000) {
      out.push(d.toISOString().slice(0, 10));
      d = new Date(d.getTime() + step * 86400000);
    }
  }
  return out;
}

/** The date range a bucket covers, as the API's from/to. */
function bucketRange(b, bucket) {
  if (bucket !== 'week') return [b, b];
  const end = new Date(new Date(b + 'T00:00:00Z').getTime() + 6 * 86400000);
  return [b, end.toISOString().slice(0, 10)];
}

function eventTable(events) {
  if (!events.length) return el('p', { class: 'muted' }, 'No events in this selection.');
  return el('table', { class: 'events' },
    el('thead', {}, el('tr', {}, ['Date', 'Type', 'Place', 'Evidence', 'Sources'].map((h) => el('th', {}, h)))),
    el('tbody', {}, events.map((e) => el('tr', {},
      el('td', {}, e.date || ''), el('td', {}, el('span', { class: 'swatch' }), e.type), el('td', {}, e.place || ''),
      el('td', {}, e.evidence.length > 220 ? e.evidence.slice(0, 220) + '…' : e.evidence),
      el('td', {}, e.sources.map((s, i) => el('a', { href: link('article/' + s.record_id) }, i ? ` ${i + 1}` : '1')))))));
}

async function timelineView(params) {
  const bucket = ['day', 'week', 'month'].includes(params.get('bucket')) ? params.get('bucket') : 'month';
  const hidden = new Set((params.get('hide') || '').split(',').filter(Boolean));
  const data = await api('/api/timeline', { bucket });
  const types = [...new Set(data.events.map((s) => s.type))].sort();
  const shown = data.events.filter((s) => !hidden.has(s.type));
  const listBox = el('div', { id: 'timeline-events' });
  const picker = el('select', { 'aria-label': 'Bucket' }, ['day', 'week', 'month'].map((b) => el('option', { value: b, selected: b === bucket }, b)));
  picker.addEventListener('change', () => { location.hash = link('timeline', { bucket: picker.value, hide: [...hidden].join(',') }); });
  const key = el('div', { class: 'type-key' }, types.map((t) => {
    const nextHidden = new Set(hidden);
    if (hidden.has(t)) nextHidden.delete(t); else nextHidden.add(t);
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = typeColour(t);
    return el('a', { href: link('timeline', { bucket, hide: [...nextHidden].join(',') }), class: hidden.has(t) ? 'off' : null, title: 'show or hide' }, swatch, t);
  }));
  const header = el('div', { class: 'controls' }, el('h2', {}, 'Events over time'), el('label', {}, 'By ', picker), key);
  if (!shown.length) {
    main.replaceChildren(header, el('p', { class: 'muted' }, 'No dated events in the store yet.'));
    return;
  }
  const buckets = allBuckets(shown[0].bucket, shown[shown.length - 1].bucket, bucket);
  const index = new Map(buckets.map((b, i) => [b, i]));
  const stacks = buckets.map(() => []);
  for (const s of shown) if (index.has(s.bucket)) stacks[index.get(s.bucket)].push(s);
  const maxTotal = Math.max(1, ...stacks.map((st) => st.reduce((n, s) => n + s.count, 0)));
  const bw = Math.max(6, Math.min(40, Math.floor(1100 / buckets.length)));
  const [H, top, left, bottom] = [220, 10, 34, 44];
  const W = left + buckets.length * bw + 10;
  const chart = svg('svg', { width: W, height: H + top + bottom, role: 'img', 'aria-label': 'Events per ' + bucket });
  const y = (n) => top + H - (n / maxTotal) * H;
  for (const tick of [0, Math.ceil(maxTotal / 2), maxTotal]) {
    chart.append(svg('line', { x1: left - 4, x2: W, y1: y(tick), y2: y(tick), stroke: '#e3e6ea' }));
    chart.append(svg('text', { x: left - 6, y: y(tick) + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#66707a' }, String(tick)));
  }
  stacks.forEach((stack, i) => {
    let base = 0;
    for (const s of stack) {
      const rect = svg('rect', { class: 'gl-bar', x: left + i * bw + 1, y: y(base + s.count), width: bw - 2, height: Math.max(1, y(base) - y(base + s.count)), fill: typeColour(s.type), 'data-bucket': s.bucket, 'data-type': s.type });
      rect.append(svg('title', {}, `${s.bucket}: ${s.count} ${s.type}`));
      chart.append(rect);
      base += s.count;
    }
    const every = Math.ceil(buckets.length / 14);
    if (i % every === 0) chart.append(svg('text', { x: left + i * bw, y: top + H + 16, 'font-size': 10, fill: '#66707a' }, buckets[i]));
  });
  // Brushing: drag across the chart to choose a range of buckets.
  const brush = svg('rect', { class: 'brush', x: 0, y: top, width: 0, height: H, visibility: 'hidden' });
  chart.append(brush);
  const at = (ev) => {
    const box = chart.getBoundingClientRect();
    return Math.min(buckets.length - 1, Math.max(0, Math.floor((ev.clientX - box.left - left) / bw)));
  };
  let anchor = null;
  const paint = (a, b) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    brush.setAttribute('x', left + lo * bw);
    brush.setAttribute('width', (hi - lo + 1) * bw);
    brush.setAttribute('visibility', 'visible');
    return [lo, hi];
  };
  chart.addEventListener('mousedown', (ev) => { anchor = at(ev); paint(anchor, anchor); });
  chart.addEventListener('mousemove', (ev) => { if (anchor !== null) paint(anchor, at(ev)); });
  const release = async (ev) => {
    if (anchor === null) return;
    const [lo, hi] = paint(anchor, at(ev));
    anchor = null;
    await showRange(bucketRange(buckets[lo], bucket)[0], bucketRange(buckets[hi], bucket)[1]);
  };
  chart.addEventListener('mouseup', release);
  chart.addEventListener('mouseleave', release);
  const showRange = async (from, to) => {
    const got = await api('/api/events', { from, to, limit: 500 });
    const events = got.events.filter((e) => !hidden.has(e.type));
    listBox.replaceChildren(el('h3', { id: 'range-label' }, `${events.length} event${events.length === 1 ? '' : 's'} from ${from} to ${to}`), eventTable(events));
    listBox.querySelectorAll('tbody tr').forEach((tr, i) => { tr.querySelector('.swatch').style.background = typeColour(events[i].type); });
  };
  main.replaceChildren(header, el('div', { class: 'timeline-wrap' }, chart),
    el('p', { class: 'muted' }, 'Drag across the chart to list the events of a period.'), listBox);
  await showRange(bucketRange(buckets[0], bucket)[0], bucketRange(buckets[buckets.length - 1], bucket)[1]);
}

// ---- wiring ------------------------------------------------------------------

async function render() {
  const { view, arg, params } = route();
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.view === view);
  showError('');
  document.title = 'Gleaner';
  try {
    if (view === 'article' && arg) await articleView(arg);
    else if (view === 'map') await mapView(params);
    else if (view === 'timeline') await timelineView(params);
    else await searchView(params);
  } catch (err) {
    showError(String(err.message || err));
    if (main.textContent.trim() === 'Loading…') main.replaceChildren();
  }
}

document.getElementById('searchform').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = document.getElementById('q').value.trim();
  location.hash = link('search', { q });
});
window.addEventListener('hashchange', render);
render();
