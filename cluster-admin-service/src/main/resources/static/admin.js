/*
 * The admin page: reads the service's own REST API (GET /api/v1/clusters, /clusters/{name}/topology,
 * /jobs) and redraws every few seconds. Read-only: it never calls a mutating endpoint.
 *
 * For each cluster it paints the 16384 slots as a strip (one pixel column per slot, 1024 slots a row)
 * coloured by the owning primary, with migrating/importing slots marked, and states what it painted:
 * the strip carries data-painted (slots with an owner) and every owner in the legend data-slots (the
 * cells painted in its colour), so what is seen can be checked against CLUSTER SLOTS.
 */
(function () {
  'use strict';
  const SLOTS = 16384;
  const PER_ROW = 1024;
  const ROW_HEIGHT = 6;
  const REFRESH_MILLIS = 2000;
  const ACTIVE = ['PENDING', 'RUNNING', 'PAUSED'];
  const RECENT_FINISHED = 5;
  let refreshes = 0;

  async function getJson(path) {
    const response = await fetch(path, {headers: {Accept: 'application/json'}, cache: 'no-store'});
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (ignored) { /* not problem+json */ }
      throw new Error(path + ': ' + response.status + ' ' + detail);
    }
    return response.json();
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('data-')) e.setAttribute(k, String(v));
      else if (k === 'style') e.setAttribute('style', v);
      else e[k] = v;
    }
    for (const c of children) {
      if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  /** Distinct, stable colours: the i-th owner (in slot order) gets a hue by the golden angle. */
  function colour(i) {
    return 'hsl(' + Math.round((i * 137.508 + 200) % 360) + ', 62%, ' + (i % 2 ? 42 : 56) + '%)';
  }

  function bytes(n) {
    if (n === null || n === undefined || n < 0) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let u = 0;
    while (n >= 1024 && u < units.length - 1) { n /= 1024; u++; }
    return (u === 0 ? n : n.toFixed(1)) + ' ' + units[u];
  }

  function parseRange(text) {
    const dash = text.indexOf('-');
    return dash < 0 ? [Number(text), Number(text)] : [Number(text.slice(0, dash)), Number(text.slice(dash + 1))];
  }

  /** owner index per slot (-1: none), from the topology's slot map. */
  function ownersOf(topology, ownerIds) {
    const owners = new Int16Array(SLOTS).fill(-1);
    for (const r of topology.slotMap || []) {
      if (!ownerIds.has(r.nodeId)) ownerIds.set(r.nodeId, ownerIds.size);
      const [from, to] = parseRange(r.range);
      owners.fill(ownerIds.get(r.nodeId), from, to + 1);
    }
    return owners;
  }

  function openSlots(topology) {
    const open = new Map();
    for (const n of topology.nodes || []) {
      for (const [slot, peer] of Object.entries(n.migrating || {})) {
        open.set(Number(slot), (open.get(Number(slot)) || []).concat(n.address + ' migrating to ' + peer.slice(0, 8)));
      }
      for (const [slot, peer] of Object.entries(n.importing || {})) {
        open.set(Number(slot), (open.get(Number(slot)) || []).concat(n.address + ' importing from ' + peer.slice(0, 8)));
      }
    }
    return open;
  }

  function strip(topology) {
    const ownerIds = new Map();
    const owners = ownersOf(topology, ownerIds);
    const open = openSlots(topology);
    const rows = SLOTS / PER_ROW;
    const canvas = el('canvas', {class: 'slot-strip', width: PER_ROW, height: rows * ROW_HEIGHT,
      title: 'slots 0-16383, ' + PER_ROW + ' per row'});
    const g = canvas.getContext('2d');
    const painted = new Array(ownerIds.size).fill(0);
    let total = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      const o = owners[slot];
      if (o < 0) continue;
      g.fillStyle = colour(o);
      g.fillRect(slot % PER_ROW, Math.floor(slot / PER_ROW) * ROW_HEIGHT, 1, ROW_HEIGHT);
      painted[o]++;
      total++;
    }
    for (const slot of open.keys()) {
      // an open slot: black upper half, yellow lower half, over its owner's colour
      const x = slot % PER_ROW, y = Math.floor(slot / PER_ROW) * ROW_HEIGHT;
      g.fillStyle = '#000';
      g.fillRect(x, y, 1, ROW_HEIGHT / 2);
      g.fillStyle = '#ffd400';
      g.fillRect(x, y + ROW_HEIGHT / 2, 1, ROW_HEIGHT / 2);
    }
    canvas.setAttribute('data-painted', total);
    canvas.setAttribute('data-owners', ownerIds.size);
    canvas.setAttribute('data-open', open.size);

    const byId = new Map((topology.nodes || []).map(n => [n.id, n]));
    const legend = el('ul', {class: 'owners'});
    for (const [id, i] of ownerIds) {
      const node = byId.get(id);
      legend.append(el('li', {class: 'owner', 'data-node-id': id, 'data-slots': painted[i],
        style: '--swatch: ' + colour(i)}, (node ? node.address : id.slice(0, 8)) + ': ' + painted[i] + ' slots'));
    }
    if (total < SLOTS) {
      legend.append(el('li', {class: 'owner uncovered', 'data-slots': SLOTS - total, style: '--swatch: #e6e8eb'},
        'no owner: ' + (SLOTS - total) + ' slots'));
    }
    if (open.size > 0) {
      legend.append(el('li', {class: 'open', 'data-open': open.size}, 'open (migrating/importing): ' + open.size));
    }
    const openList = open.size === 0 ? null : el('p', {class: 'open-slots'}, 'Open slots: ' + [...open.entries()]
      .sort((a, b) => a[0] - b[0]).slice(0, 20).map(([s, what]) => s + ' (' + what.join(', ') + ')').join('; ')
      + (open.size > 20 ? ' …' : ''));
    return [canvas, legend, openList];
  }

  function nodesTable(topology) {
    const body = el('tbody');
    const nodes = (topology.nodes || []).slice().sort((a, b) =>
      (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1) || String(a.address).localeCompare(String(b.address)));
    for (const n of nodes) {
      body.append(el('tr', {class: 'node', 'data-node-id': n.id, 'data-role': n.role, 'data-address': n.address,
          'data-slots': n.slotCount},
        el('td', {}, n.role), el('td', {}, n.address), el('td', {title: n.id}, n.id.slice(0, 8)),
        el('td', {}, (n.flags || []).join(',')), el('td', {}, n.linkState || ''),
        el('td', {title: n.primaryId || ''}, n.primaryId ? n.primaryId.slice(0, 8) : ''),
        el('td', {class: 'num'}, n.slotCount), el('td', {class: 'num'}, bytes(n.usedMemory)),
        el('td', {class: 'num'}, n.opsPerSecond), el('td', {class: 'num'}, n.configEpoch),
        el('td', {class: n.reachable ? '' : 'error'}, n.reachable ? 'yes' : ('no ' + (n.error || '')))));
    }
    return el('table', {class: 'nodes'},
      el('thead', {}, el('tr', {}, ...['role', 'address', 'id', 'flags', 'link', 'primary', 'slots', 'memory',
        'ops/s', 'epoch', 'reachable'].map(h => el('th', {}, h)))), body);
  }

  function clusterSection(summary, topology) {
    const section = el('section', {class: 'cluster', 'data-cluster': summary.name});
    section.append(el('h2', {}, 'Cluster ' + summary.name));
    if (topology.error) {
      section.append(el('p', {class: 'error'}, topology.error));
      return section;
    }
    const health = topology.health || {status: 'UNKNOWN', findings: []};
    section.append(el('p', {},
      el('span', {class: 'health health-' + health.status, 'data-health': health.status}, 'health ' + health.status),
      ' · ' + topology.coveredSlots + ' of 16384 slots covered · ' + (topology.nodes || []).length + ' nodes · read '
      + new Date(topology.readAt).toLocaleTimeString()
      + (summary.leaseHolder ? ' · jobs run by ' + summary.leaseHolder : '')));
    const problems = (health.findings || []).filter(f => f.level !== 'OK');
    if (problems.length > 0) {
      section.append(el('ul', {class: 'findings'}, ...problems.map(f => el('li', {class: 'health-' + f.level}, f.text))));
    }
    section.append(el('h3', {}, 'Slots'), ...strip(topology).filter(x => x));
    section.append(el('h3', {}, 'Nodes'), nodesTable(topology));
    return section;
  }

  function jobRow(j) {
    const p = j.progress || {};
    const moves = p.slotsToMove > 0;
    const done = moves ? p.slotsMoved : p.stepsDone;
    const of = moves ? p.slotsToMove : p.steps;
    const what = moves ? ' slots' : ' steps';
    return el('tr', {class: 'job', 'data-job-id': j.id, 'data-state': j.state, 'data-done': done, 'data-of': of,
        'data-keys-moved': p.keysMoved},
      el('td', {}, j.id), el('td', {}, j.cluster), el('td', {}, j.kind), el('td', {title: j.error || ''}, j.description),
      el('td', {class: 'state-' + j.state}, j.state),
      el('td', {}, el('progress', {max: Math.max(1, of || 0), value: done || 0}), ' ' + (done || 0) + '/' + (of || 0) + what),
      el('td', {class: 'num'}, (p.keysMoved || 0) + (p.keysPlanned ? '/' + p.keysPlanned : '') + ' · ' + bytes(p.bytesMoved || 0)),
      el('td', {class: 'num'}, (p.keysPerSecond || 0) + ' keys/s'),
      el('td', {class: 'num'}, p.etaSeconds === null || p.etaSeconds === undefined ? '' : p.etaSeconds + ' s'));
  }

  function renderJobs(jobs) {
    const active = jobs.filter(j => ACTIVE.includes(j.state));
    const finished = jobs.filter(j => !ACTIVE.includes(j.state)).slice(0, RECENT_FINISHED);
    const body = document.querySelector('#jobs tbody');
    body.replaceChildren(...active.concat(finished).map(jobRow));
    document.getElementById('jobs').setAttribute('data-active', active.length);
    document.getElementById('no-jobs').hidden = jobs.length > 0;
  }

  async function refresh() {
    try {
      const [clusters, jobs] = await Promise.all([getJson('api/v1/clusters'), getJson('api/v1/jobs')]);
      const topologies = await Promise.all(clusters.map(c =>
        getJson('api/v1/clusters/' + encodeURIComponent(c.name) + '/topology').catch(e => ({error: String(e.message || e)}))));
      renderJobs(jobs);
      document.getElementById('clusters').replaceChildren(...clusters.map((c, i) => clusterSection(c, topologies[i])));
      document.getElementById('no-clusters').hidden = clusters.length > 0;
      document.getElementById('error').hidden = true;
      refreshes++;
      document.getElementById('refreshed').textContent = 'updated ' + new Date().toLocaleTimeString();
      document.body.setAttribute('data-refreshes', refreshes);
      document.body.setAttribute('data-state', 'ready');
    } catch (e) {
      const error = document.getElementById('error');
      error.textContent = 'Could not read the service: ' + (e.message || e);
      error.hidden = false;
      document.body.setAttribute('data-state', 'error');
    }
  }

  async function loop() {
    await refresh();
    setTimeout(loop, REFRESH_MILLIS);
  }

  loop();
})();
