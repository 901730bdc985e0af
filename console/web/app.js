// rampart console web UI: plain JavaScript, no framework, no build step.
// Every check of what a ruleset, policy or cluster may contain is the
// server's (the evaluator's own loader): the form sends its content for a
// dry run as you type and shows each error next to the field it names.
'use strict';
(() => {
  const API = '/api/v1';
  const TOKEN_KEY = 'rampart.console.token';
  const main = document.getElementById('main');
  const statusBox = document.getElementById('status');
  let who = null;
  let view = 0; // bumps on every navigation: late answers for old views are dropped

  // ---- small helpers -------------------------------------------------------

  // h('tag', {attr: value, onclick: fn, class: 'x'}, ...children): elements
  // built from text nodes only, so no server string is ever parsed as HTML.
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'for') el.htmlFor = v;
      else if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined || kid === false) continue;
      el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return el;
  }
  const enc = encodeURIComponent;
  let idSeq = 0;
  const uid = (p) => `${p}-${++idSeq}`;

  function say(msg) {
    statusBox.textContent = msg;
    clearTimeout(say.t);
    say.t = setTimeout(() => { statusBox.textContent = ''; }, 6000);
  }

  async function api(method, path, body) {
    const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) || ''}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      return { status: 0, data: { error: `the console cannot be reached (${e.message})`, field: null } };
    }
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text, field: null }; }
    if (res.status === 401 && path !== '/whoami') {
      sessionStorage.removeItem(TOKEN_KEY);
      signIn('Your token was not accepted; sign in again.');
    }
    return { status: res.status, data };
  }

  function page(title, ...content) {
    main.replaceChildren();
    const h1 = h('h1', { tabindex: '-1' }, title);
    main.append(h1, ...content.filter((c) => c !== null && c !== undefined));
    h1.focus();
    document.title = `${title} · rampart console`;
  }

  function markNav(section) {
    for (const a of document.querySelectorAll('.top nav a')) {
      if (a.getAttribute('href') === `#/${section}`) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }

  const isAdmin = () => who && who.role === 'admin';

  // ---- sign-in -------------------------------------------------------------

  function signIn(message) {
    who = null;
    document.getElementById('who').textContent = '';
    document.getElementById('signout').hidden = true;
    const input = h('input', { id: 'token', type: 'password', autocomplete: 'current-password', 'aria-describedby': 'token-hint token-error', required: true });
    const error = h('p', { id: 'token-error', class: 'error', role: 'alert' }, message || '');
    const form = h('form', {
      onsubmit: async (ev) => {
        ev.preventDefault();
        sessionStorage.setItem(TOKEN_KEY, input.value.trim());
        const r = await api('GET', '/whoami');
        if (r.status !== 200) {
          sessionStorage.removeItem(TOKEN_KEY);
          error.textContent = r.status === 401 ? 'That token is not known to the console.' : r.data.error;
          input.setAttribute('aria-invalid', 'true');
          input.focus();
          return;
        }
        start();
      },
    },
    h('div', { class: 'field' },
      h('label', { for: 'token' }, 'Access token'),
      input,
      h('p', { id: 'token-hint', class: 'hint' }, 'The bearer token your administrator issued (console.tokens_file). It is kept in this tab only.'),
      error),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
    page('Sign in', form);
  }

  async function start() {
    const r = await api('GET', '/whoami');
    if (r.status !== 200) return signIn();
    who = r.data;
    document.getElementById('who').textContent = `${who.name} (${who.role})`;
    document.getElementById('signout').hidden = false;
    route();
  }

  document.getElementById('signout').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    signIn('Signed out.');
  });

  // ---- shared widgets ------------------------------------------------------

  function chips(labels) {
    const entries = Object.entries(labels || {});
    if (!entries.length) return h('span', { class: 'readonly-tag' }, 'none');
    return h('ul', { class: 'chips' }, entries.map(([k, v]) => h('li', { class: 'chip' }, `${k}=${v}`)));
  }

  function nameList(names) {
    if (!names || !names.length) return h('span', { class: 'readonly-tag' }, 'none');
    return h('ul', { class: 'chips' }, names.map((n) => h('li', { class: 'chip' }, n)));
  }

  // A text input (or textarea) with its label, hint and error line.
  function field(label, attrs, hint, tag) {
    const id = attrs.id || uid('f');
    const hintId = hint ? `${id}-hint` : null;
    const errId = `${id}-error`;
    const input = h(tag || 'input', { type: tag ? undefined : 'text', ...attrs, id, 'aria-describedby': [hintId, errId].filter(Boolean).join(' ') });
    const error = h('p', { id: errId, class: 'error', 'aria-live': 'polite' });
    const el = h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('p', { id: hintId, class: 'hint' }, hint) : null, error);
    return { el, input, error };
  }

  // Rows of key/value inputs with "Add Label"; collect() gives the labels
  // object and remembers which row each entry came from, for errors.
  function labelEditor(initial, hint) {
    const rows = [];
    const list = h('div', { class: 'label-rows' });
    const sent = [];
    function addRow(key, value, focus) {
      const n = rows.length + 1;
      const k = field(`Label ${n} key`, { value: key || '', autocomplete: 'off', spellcheck: 'false', 'data-label-key': '' });
      const v = field(`Label ${n} value`, { value: value || '', autocomplete: 'off', spellcheck: 'false', 'data-label-value': '' });
      const row = { key: k, value: v, el: null };
      const remove = h('button', {
        type: 'button', class: 'link', 'aria-label': `Remove label ${n}`,
        onclick: () => { row.el.remove(); rows.splice(rows.indexOf(row), 1); list.dispatchEvent(new Event('input', { bubbles: true })); addBtn.focus(); },
      }, 'Remove');
      row.el = h('div', { class: 'label-row' }, k.el, v.el, remove);
      rows.push(row);
      list.append(row.el);
      if (focus) k.input.focus();
    }
    const addBtn = h('button', { type: 'button', onclick: () => addRow('', '', true) }, 'Add Label');
    for (const [k, v] of Object.entries(initial || {})) addRow(k, v, false);
    const error = h('p', { class: 'error', 'aria-live': 'polite' });
    const el = h('fieldset', {}, h('legend', {}, 'Labels'), h('p', { class: 'hint' }, hint), list, addBtn, error);
    return {
      el,
      error,
      collect() {
        const out = {};
        sent.length = 0;
        for (const r of rows) {
          const key = r.key.input.value.trim();
          const value = r.value.input.value.trim();
          if (!key && !value) continue;
          if (Object.prototype.hasOwnProperty.call(out, key)) {
            return { duplicate: r };
          }
          out[key] = value;
          sent.push(r);
        }
        return { labels: out };
      },
      target(fieldName) {
        const m = /^labels\[(\d+)\]\.(key|value)$/.exec(fieldName);
        if (m && sent[+m[1]]) return sent[+m[1]][m[2]];
        return null;
      },
      rows,
    };
  }

  // Error display: every {error, field} next to its field, else on the form.
  function errorBoard(formError, resolve) {
    const marked = [];
    return {
      clear(filter) {
        for (const m of marked.splice(0)) {
          if (filter && !filter(m.field)) { marked.push(m); continue; }
          m.target.error.textContent = '';
          if (m.target.input) m.target.input.removeAttribute('aria-invalid');
        }
        if (!filter) formError.textContent = '';
      },
      show(errors, filter) {
        let first = null;
        for (const e of errors) {
          if (filter && !filter(e.field || '')) continue;
          const target = resolve(e.field || '');
          if (!target) {
            formError.textContent += (formError.textContent ? ' ' : '') + e.error;
            continue;
          }
          target.error.textContent = target.error.textContent ? `${target.error.textContent} ${e.error}` : e.error;
          if (target.input) target.input.setAttribute('aria-invalid', 'true');
          marked.push({ target, field: e.field || '' });
          first = first || target;
        }
        return first;
      },
    };
  }

  function errorsOf(r) {
    if (r.data && Array.isArray(r.data.errors) && r.data.errors.length) return r.data.errors;
    return [{ error: (r.data && r.data.error) || `HTTP ${r.status}`, field: r.data ? r.data.field : null }];
  }

  // ---- managed rulesets: the list ------------------------------------------

  async function listRulesets(v) {
    const r = await api('GET', '/rulesets');
    if (v !== view) return;
    if (r.status !== 200) return page('Managed rulesets', h('p', { class: 'error', role: 'alert' }, r.data.error));
    const rows = r.data.rulesets.map((rs) => h('tr', { 'data-ruleset': rs.name },
      h('td', {}, h('div', { class: 'entry-name' }, rs.name), rs.description ? h('div', { class: 'desc' }, rs.description) : null,
        rs.managed ? null : h('div', { class: 'readonly-tag' }, 'read-only: defined in a rules file')),
      h('td', {}, chips(rs.labels)),
      h('td', { class: 'num' }, String(rs.enabled_rules)),
      h('td', {}, nameList(rs.policies)),
      h('td', {}, h('div', { class: 'actions' },
        h('a', { class: 'button', href: `#/rulesets/edit/${enc(rs.name)}`, 'aria-label': `${rs.managed && isAdmin() ? 'Edit' : 'View'} ${rs.name}` }, rs.managed && isAdmin() ? 'Edit' : 'View'),
        isAdmin() ? h('a', { class: 'button', href: `#/rulesets/copy/${enc(rs.name)}`, 'aria-label': `Duplicate ${rs.name}` }, 'Duplicate') : null,
        isAdmin() && rs.managed ? h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${rs.name}`, onclick: () => remove('rulesets', rs.name) }, 'Delete') : null))));
    page('Managed rulesets',
      problems(r.data.problems),
      h('div', { class: 'toolbar' }, isAdmin() ? h('a', { class: 'button primary', href: '#/rulesets/new', id: 'add-ruleset' }, '+Add') : null),
      h('table', { id: 'rulesets' },
        h('caption', {}, `${r.data.rulesets.length} rulesets`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Labels'), h('th', { scope: 'col' }, 'Enabled rules'), h('th', { scope: 'col' }, 'Used by policies'), h('th', { scope: 'col' }, 'Actions'))),
        h('tbody', {}, rows)));
  }

  function problems(list) {
    if (!list || !list.length) return null;
    return h('div', { class: 'problems', role: 'alert' }, h('p', {}, 'The current rule files have problems; evaluators keep their last good configuration:'),
      h('ul', {}, list.map((p) => h('li', {}, p))));
  }

  async function remove(kind, name) {
    const single = { rulesets: 'ruleset', policies: 'policy', clusters: 'cluster' }[kind];
    if (!window.confirm(`Delete ${single} "${name}"? Evaluators stop applying it within a second.`)) return;
    const r = await api('DELETE', `/${kind}/${enc(name)}`);
    if (r.status === 204) {
      say(`Deleted ${single} "${name}".`);
      route();
    } else {
      say(r.data.error);
      const alert = h('p', { class: 'error', role: 'alert' }, r.data.error);
      main.querySelector('h1').after(alert);
    }
  }

  // ---- managed rulesets: the form ------------------------------------------

  const ACTIONS = [['log', 'Log'], ['isolate', 'Isolate'], ['terminate', 'Terminate']];

  function ecsNote(ecs) {
    const general = h('p', { class: 'hint', id: 'actions-hint' },
      'Log records a verdict. Isolate cuts the workload off the network. Terminate stops it. ',
      'On Amazon ECS clusters Isolate becomes Log, and Terminate needs ECS protection 2.2.3 or later (otherwise Log).');
    if (!ecs || !ecs.length) return general;
    return h('div', {}, general, h('div', { class: 'note', id: 'ecs-note' },
      h('strong', {}, 'This ruleset is assigned to policies used by Amazon ECS clusters. There:'),
      h('ul', {}, ecs.map((c) => h('li', {},
        `${c.cluster} (policy ${c.policy}, ECS protection ${c.protection_version}): Isolate becomes Log; `,
        c.terminate === 'terminate' ? 'Terminate stops the task.' : 'Terminate becomes Log (needs ECS protection 2.2.3 or later).')))));
  }

  function rowNote(action, ecs) {
    if (!ecs || !ecs.length || action === 'log') return '';
    const names = (list) => list.map((c) => c.cluster).join(', ');
    if (action === 'isolate') return `On ECS (${names(ecs)}): logged instead.`;
    const logged = ecs.filter((c) => c.terminate !== 'terminate');
    const stopped = ecs.filter((c) => c.terminate === 'terminate');
    return [stopped.length ? `Stops the task on ${names(stopped)}.` : '', logged.length ? `Logged on ${names(logged)} (ECS protection older than 2.2.3).` : ''].join(' ').trim();
  }

  function rulesTable(catalog, chosen, ecs, readOnly) {
    const rows = [];
    const tactics = [...new Map(catalog.map((r) => [r.tactic, r.tactic_name])).entries()].sort((a, b) => a[1].localeCompare(b[1]));
    const sevs = ['critical', 'high', 'medium', 'low', 'info'].filter((s) => catalog.some((r) => r.severity === s));
    const text = field('Filter rules', { type: 'search', id: 'rule-filter', placeholder: 'name, id, technique…' });
    const tactic = h('select', { id: 'tactic-filter' }, h('option', { value: '' }, 'All tactics'), tactics.map(([id, n]) => h('option', { value: id }, `${n} (${id})`)));
    const sev = h('select', { id: 'severity-filter' }, h('option', { value: '' }, 'All severities'), sevs.map((s) => h('option', { value: s }, s)));
    const onlyOn = h('input', { type: 'checkbox', id: 'enabled-filter' });
    const count = h('p', { class: 'hint', 'aria-live': 'polite', id: 'rule-count' });
    const tbody = h('tbody');
    function update() {
      const q = text.input.value.trim().toLowerCase();
      let shown = 0, on = 0;
      for (const row of rows) {
        const r = row.rule;
        const hay = `${r.id} ${r.name} ${r.description} ${r.technique} ${r.tactic_name}`.toLowerCase();
        row.el.hidden = !((!q || hay.includes(q)) && (!tactic.value || r.tactic === tactic.value) &&
          (!sev.value || r.severity === sev.value) && (!onlyOn.checked || row.toggle.checked));
        shown += row.el.hidden ? 0 : 1;
        on += row.toggle.checked ? 1 : 0;
        row.el.classList.toggle('on', row.toggle.checked);
        row.note.textContent = row.toggle.checked ? rowNote(row.action.value, ecs) : '';
      }
      count.textContent = `${shown} of ${rows.length} rules shown; ${on} enabled.`;
    }
    for (const r of catalog) {
      const c = chosen.get(r.id) || { enabled: false, action: 'log' };
      const toggle = h('input', { type: 'checkbox', id: `enable-${r.id}`, 'aria-label': `Enabled: ${r.name} (${r.id})`, disabled: readOnly });
      toggle.checked = !!c.enabled;
      const action = h('select', { id: `action-${r.id}`, 'aria-label': `Action for ${r.name} (${r.id})`, 'aria-describedby': 'actions-hint', disabled: readOnly },
        ACTIONS.map(([value, label]) => h('option', { value, selected: value === c.action }, label)));
      const note = h('div', { class: 'row-note' });
      const error = h('p', { class: 'error', 'aria-live': 'polite' });
      const el = h('tr', { 'data-rule': r.id },
        h('td', {}, toggle),
        h('td', { class: 'rule' }, h('div', { class: 'entry-name' }, r.name), h('div', { class: 'desc' }, r.description), h('div', { class: 'rule-id' }, r.id), error),
        h('td', {}, h('a', { href: r.technique_url, target: '_blank', rel: 'noopener noreferrer' }, r.technique, h('span', { class: 'visually-hidden' }, ' (MITRE ATT&CK, opens in a new tab)'))),
        h('td', {}, r.tactic_name),
        h('td', { class: `sev-${r.severity}` }, r.severity),
        h('td', {}, action, note));
      toggle.addEventListener('change', update);
      action.addEventListener('change', update);
      rows.push({ rule: r, toggle, action, note, error, el, listed: chosen.has(r.id) });
      tbody.append(el);
    }
    for (const el of [text.input, tactic, sev, onlyOn]) el.addEventListener('input', update);
    const enableAll = h('button', {
      type: 'button', id: 'enable-visible', disabled: readOnly,
      onclick: () => { for (const row of rows) if (!row.el.hidden) row.toggle.checked = true; update(); say('Every rule shown is enabled.'); },
    }, 'Enable all visible');
    const error = h('p', { class: 'error', 'aria-live': 'polite' });
    const el = h('fieldset', {}, h('legend', {}, 'Rules'), ecsNote(ecs),
      h('div', { class: 'filters' }, text.el,
        h('div', { class: 'field' }, h('label', { for: 'tactic-filter' }, 'Tactic'), tactic),
        h('div', { class: 'field' }, h('label', { for: 'severity-filter' }, 'Severity'), sev),
        h('div', { class: 'field check' }, onlyOn, ' ', h('label', { for: 'enabled-filter' }, 'Enabled only')),
        enableAll),
      count,
      h('table', { class: 'rules-table', id: 'rules' },
        h('caption', { class: 'visually-hidden' }, 'Catalog rules: enable a rule and choose its action'),
        h('thead', {}, h('tr', {}, ['Enabled', 'Rule', 'MITRE technique', 'Tactic', 'Severity', 'Action'].map((t) => h('th', { scope: 'col' }, t)))),
        tbody),
      error);
    update();
    const sent = [];
    return {
      el,
      error,
      collect() {
        sent.length = 0;
        const out = [];
        for (const row of rows) {
          if (!row.toggle.checked && !row.listed) continue;
          out.push({ id: row.rule.id, enabled: row.toggle.checked, action: row.action.value });
          sent.push(row);
        }
        return out;
      },
      target(fieldName) {
        const m = /^rules\[(\d+)\]\.?(\w*)$/.exec(fieldName);
        if (!m || !sent[+m[1]]) return null;
        const row = sent[+m[1]];
        row.el.hidden = false;
        return { error: row.error, input: m[2] === 'action' ? row.action : row.toggle };
      },
    };
  }

  async function rulesetForm(v, mode, name) {
    const [cat, cur] = await Promise.all([api('GET', '/rules'), name ? api('GET', `/rulesets/${enc(name)}`) : null]);
    if (v !== view) return;
    if (cat.status !== 200 || (cur && cur.status !== 200)) {
      return page('Ruleset', h('p', { class: 'error', role: 'alert' }, (cur && cur.status !== 200 ? cur : cat).data.error));
    }
    const src = cur ? cur.data : { labels: {}, rules: [], description: '' };
    const editing = mode === 'edit';
    const readOnly = editing && (!src.managed || !isAdmin());
    const chosen = new Map(src.rules.map((r) => [r.id, r]));
    const title = editing ? `${readOnly ? 'Ruleset' : 'Edit ruleset'} ${name}` : mode === 'copy' ? `Duplicate ruleset ${name}` : 'Create ruleset';

    const nameF = field('Name', { id: 'ruleset-name', name: 'name', required: true, autocomplete: 'off', spellcheck: 'false', readonly: editing, value: editing ? src.name : '' },
      editing ? 'The name of a ruleset cannot be changed; duplicate it to use another name.'
        : 'Required and unique: letters, digits, underscores (_) and periods (.), no spaces. It cannot be changed later.');
    const descF = field('Description', { id: 'ruleset-description', name: 'description', rows: 3, readonly: readOnly }, 'Optional. Shown under the name in the list of rulesets.', 'textarea');
    descF.input.value = src.description || '';
    const labels = labelEditor(src.labels, 'Labels select Kubernetes clusters: the ruleset applies only to clusters that carry all of its labels. Labels have no effect on Amazon ECS clusters, where the ruleset applies as if it had none. Keys and values follow Kubernetes label syntax.');
    const rules = rulesTable(cat.data.rules, chosen, editing ? src.ecs : [], readOnly);
    const formError = h('div', { class: 'error', role: 'alert', id: 'form-error' });
    const board = errorBoard(formError, (f) => {
      if (f === 'name') return nameF;
      if (f === 'description') return descF;
      if (f.startsWith('labels')) return labels.target(f) || labels;
      if (f.startsWith('rules')) return rules.target(f) || rules;
      return null;
    });

    function body() {
      const l = labels.collect();
      if (l.duplicate) return { duplicate: l.duplicate };
      const b = { name: nameF.input.value, labels: l.labels, rules: rules.collect() };
      if (descF.input.value.trim()) b.description = descF.input.value;
      return { body: b };
    }
    const method = editing ? 'PUT' : 'POST';
    const path = editing ? `/rulesets/${enc(name)}` : '/rulesets';

    // As you type: a dry run; name and label errors are shown at once.
    let seq = 0, timer = 0;
    const typed = new Set();
    const live = (f) => (f === 'name' && typed.has('name')) || (f.startsWith('labels') && typed.has('labels'));
    function check() {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const b = body();
        if (b.duplicate) return;
        const mine = ++seq;
        const r = await api(method, `${path}?dry_run=true`, b.body);
        if (mine !== seq || v !== view) return;
        board.clear((f) => live(f));
        if (r.status >= 400) board.show(errorsOf(r), live);
      }, 200);
    }
    nameF.input.addEventListener('input', () => { typed.add('name'); check(); });
    labels.el.addEventListener('input', () => { typed.add('labels'); check(); });

    const submit = h('button', { type: 'submit', class: 'primary', id: 'save' }, editing ? 'Save changes' : 'Create ruleset');
    const form = h('form', {
      novalidate: true, id: 'ruleset-form', 'aria-labelledby': 'form-title',
      onsubmit: async (ev) => {
        ev.preventDefault();
        clearTimeout(timer);
        seq++;
        board.clear();
        const b = body();
        if (b.duplicate) {
          board.show([{ error: 'This label key is used twice.', field: '' }]);
          b.duplicate.key.error.textContent = 'This label key is used twice.';
          b.duplicate.key.input.focus();
          return;
        }
        submit.disabled = true;
        const r = await api(method, path, b.body);
        submit.disabled = false;
        if (r.status === 200 || r.status === 201) {
          location.hash = '#/rulesets';
          say(`Ruleset "${r.data.name}" ${editing ? 'saved' : 'created'}.`);
          return;
        }
        const first = board.show(errorsOf(r));
        const focus = first && first.input ? first.input : formError;
        if (focus === formError) formError.setAttribute('tabindex', '-1');
        focus.focus();
      },
    },
    nameF.el, descF.el, labels.el, rules.el, formError,
    h('div', { class: 'form-actions' }, readOnly ? null : submit, h('a', { href: '#/rulesets' }, readOnly ? 'Back to the list' : 'Cancel')));
    page(title, readOnly && editing ? h('p', { class: 'readonly-tag' }, src.managed ? 'Your role may read but not change rulesets.' : `Read-only: defined in ${src.source}, which the console does not manage.`) : null, form);
    main.querySelector('h1').id = 'form-title';
    if (!editing) nameF.input.focus();
  }

  // ---- policies and clusters: simpler lists and forms ----------------------

  const SIMPLE = {
    policies: {
      title: 'Policies', single: 'policy',
      columns: ['Name', 'Rulesets', 'Used by clusters'],
      cells: (p) => [h('td', {}, h('div', { class: 'entry-name' }, p.name), p.description ? h('div', { class: 'desc' }, p.description) : null), h('td', {}, nameList(p.rulesets)), h('td', {}, nameList(p.clusters))],
    },
    clusters: {
      title: 'Clusters', single: 'cluster',
      columns: ['Name', 'Orchestrator', 'Labels', 'Policy'],
      cells: (c) => [h('td', {}, h('div', { class: 'entry-name' }, c.name)), h('td', {}, c.orchestrator === 'ecs' ? `ecs (protection ${c.protection_version})` : c.orchestrator), h('td', {}, chips(c.labels)), h('td', {}, c.policy)],
    },
  };

  async function listSimple(v, kind) {
    const s = SIMPLE[kind];
    const r = await api('GET', `/${kind}`);
    if (v !== view) return;
    if (r.status !== 200) return page(s.title, h('p', { class: 'error', role: 'alert' }, r.data.error));
    const rows = r.data[kind].map((e) => h('tr', {}, s.cells(e),
      h('td', {}, h('div', { class: 'actions' },
        h('a', { class: 'button', href: `#/${kind}/edit/${enc(e.name)}`, 'aria-label': `${e.managed && isAdmin() ? 'Edit' : 'View'} ${e.name}` }, e.managed && isAdmin() ? 'Edit' : 'View'),
        isAdmin() && e.managed ? h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${e.name}`, onclick: () => remove(kind, e.name) }, 'Delete') : null,
        e.managed ? null : h('span', { class: 'readonly-tag' }, 'read-only')))));
    page(s.title, problems(r.data.problems),
      h('div', { class: 'toolbar' }, isAdmin() ? h('a', { class: 'button primary', href: `#/${kind}/new` }, '+Add') : null),
      h('table', {}, h('caption', {}, `${r.data[kind].length} ${kind}`),
        h('thead', {}, h('tr', {}, [...s.columns, 'Actions'].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows)));
  }

  function checkList(legend, names, selected, hint) {
    const boxes = names.map((n) => {
      const id = uid('c');
      const box = h('input', { type: 'checkbox', id, value: n });
      box.checked = selected.includes(n);
      return { n, box, el: h('li', {}, box, ' ', h('label', { for: id }, n)) };
    });
    const error = h('p', { class: 'error', 'aria-live': 'polite' });
    return {
      el: h('fieldset', {}, h('legend', {}, legend), hint ? h('p', { class: 'hint' }, hint) : null, h('ul', { class: 'checks' }, boxes.map((b) => b.el)), error),
      error,
      // previously selected names keep their order, new ones follow
      value: () => [...selected.filter((n) => boxes.some((b) => b.n === n && b.box.checked)), ...boxes.filter((b) => b.box.checked && !selected.includes(b.n)).map((b) => b.n)],
    };
  }

  function select(label, options, value, hint) {
    const id = uid('s');
    const input = h('select', { id }, options.map((o) => h('option', { value: o, selected: o === value }, o)));
    const error = h('p', { class: 'error', 'aria-live': 'polite' });
    return { input, error, el: h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('p', { class: 'hint' }, hint) : null, error) };
  }

  async function simpleForm(v, kind, mode, name) {
    const s = SIMPLE[kind];
    const [cur, other] = await Promise.all([name ? api('GET', `/${kind}/${enc(name)}`) : null, api('GET', kind === 'policies' ? '/rulesets' : '/policies')]);
    if (v !== view) return;
    if ((cur && cur.status !== 200) || other.status !== 200) return page(s.title, h('p', { class: 'error', role: 'alert' }, (cur && cur.status !== 200 ? cur : other).data.error));
    const src = cur ? cur.data : { labels: {}, rulesets: [], orchestrator: 'kubernetes', policy: '', description: '', protection_version: '' };
    const editing = mode === 'edit';
    const nameF = field('Name', { required: true, autocomplete: 'off', spellcheck: 'false', readonly: editing, value: editing ? src.name : '' },
      editing ? `The name of a ${s.single} cannot be changed.` : (kind === 'clusters' ? 'The cluster name the collectors report: letters, digits, _, . and -.' : 'Letters, digits, underscores and periods; no spaces.'));
    const parts = { name: nameF };
    const items = [nameF.el];
    let labels = null;
    if (kind === 'policies') {
      parts.description = field('Description', { rows: 2 }, 'Optional.', 'textarea');
      parts.description.input.value = src.description || '';
      parts.rulesets = checkList('Rulesets', other.data.rulesets.map((r) => r.name), src.rulesets, 'The rulesets this policy applies, in this order.');
      items.push(parts.description.el, parts.rulesets.el);
    } else {
      parts.orchestrator = select('Orchestrator', ['kubernetes', 'ecs', 'none'], src.orchestrator);
      parts.protection_version = field('ECS protection version', { value: src.protection_version || '' }, 'ECS clusters only: the version of the ECS protection component there (e.g. 2.2.3). Terminate needs 2.2.3 or later.');
      parts.policy = select('Policy', other.data.policies.map((p) => p.name), src.policy);
      labels = labelEditor(src.labels, 'Kubernetes clusters: a ruleset with labels applies only where the cluster carries all of them. Ignored on ECS.');
      items.push(parts.orchestrator.el, parts.protection_version.el, labels.el, parts.policy.el);
    }
    const formError = h('div', { class: 'error', role: 'alert' });
    const board = errorBoard(formError, (f) => (f.startsWith('labels') && labels ? labels.target(f) || labels : parts[f.replace(/\[.*$/, '')] || null));
    const submit = h('button', { type: 'submit', class: 'primary' }, editing ? 'Save changes' : `Create ${s.single}`);
    const form = h('form', {
      novalidate: true,
      onsubmit: async (ev) => {
        ev.preventDefault();
        board.clear();
        const b = { name: nameF.input.value };
        if (kind === 'policies') {
          if (parts.description.input.value.trim()) b.description = parts.description.input.value;
          b.rulesets = parts.rulesets.value();
        } else {
          const l = labels.collect();
          if (l.duplicate) { l.duplicate.key.error.textContent = 'This label key is used twice.'; l.duplicate.key.input.focus(); return; }
          b.orchestrator = parts.orchestrator.input.value;
          b.policy = parts.policy.input.value;
          b.labels = l.labels;
          if (parts.protection_version.input.value.trim()) b.protection_version = parts.protection_version.input.value.trim();
        }
        submit.disabled = true;
        const r = await api(editing ? 'PUT' : 'POST', editing ? `/${kind}/${enc(name)}` : `/${kind}`, b);
        submit.disabled = false;
        if (r.status === 200 || r.status === 201) {
          location.hash = `#/${kind}`;
          say(`The ${s.single} "${r.data.name}" was ${editing ? 'saved' : 'created'}.`);
          return;
        }
        const first = board.show(errorsOf(r));
        (first && first.input ? first.input : formError).focus();
      },
    }, items, formError, h('div', { class: 'form-actions' }, editing && (!src.managed || !isAdmin()) ? null : submit, h('a', { href: `#/${kind}` }, 'Cancel')));
    page(editing ? `${s.single[0].toUpperCase()}${s.single.slice(1)} ${name}` : `Create ${s.single}`, form);
  }

  // ---- routing -------------------------------------------------------------

  function route() {
    if (!who) return;
    const v = ++view;
    const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
    const kind = ['rulesets', 'policies', 'clusters'].includes(parts[0]) ? parts[0] : 'rulesets';
    markNav(kind);
    const [, action, name] = parts;
    if (kind === 'rulesets') {
      if (action === 'new') return rulesetForm(v, 'create');
      if ((action === 'edit' || action === 'copy') && name) return rulesetForm(v, action, name);
      return listRulesets(v);
    }
    if (action === 'new') return simpleForm(v, kind, 'create');
    if (action === 'edit' && name) return simpleForm(v, kind, 'edit', name);
    return listSimple(v, kind);
  }

  window.addEventListener('hashchange', route);
  if (sessionStorage.getItem(TOKEN_KEY)) start(); else signIn();
})();
