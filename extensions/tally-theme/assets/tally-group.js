/*
 * Tally storefront, customer account page: linking the shopper's accounts across a program group
 * (docs/groups.md). Its own file, loaded by the account block only, so the widget every page loads
 * (tally.js) carries none of it. One small request (GET /apps/loyalty/group) tells whether the shop
 * is in a group; outside one nothing is shown.
 */
(function () {
  // The default locale's group strings (locales/en.default.json), for a storefront language the merchant did not choose.
  var EN = {"group.title":"Your points at our other shops","group.linked":"{{ shop }}: linked, your points there count here","group.unlinked":"{{ shop }}: not linked","group.get_code":"Get a code","group.code":"Sign in at {{ shop }}, open your account page there and enter this code within 10 minutes. Never give it to anyone: whoever enters it can spend your points here.","group.enter":"Code from {{ shop }}","group.link":"Link","group.stop":"Stop sharing points between shops"};
  var box = document.querySelector('[data-tally-group]');
  var configTag = document.querySelector('[data-tally-config]');
  if (!box || !configTag || box.dataset.ready) return;
  box.dataset.ready = '1';
  var config = JSON.parse(configTag.textContent);
  var text = JSON.parse(document.querySelector('[data-tally-i18n]').textContent);
  var english = config.languages && config.languages.indexOf(config.lang) < 0;
  var proxy = config.root + '/apps/loyalty/group';

  function t(key, values) {
    return String((!english && text[key]) || EN[key] || key).replace(/\{\{\s*(\w+)\s*\}\}/g, function (match, name) {
      return name in (values || {}) ? values[name] : match;
    });
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) {
      if (name === 'text') node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    }
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }
  function json(path, method, body) {
    return fetch(proxy + path, { method: method || 'GET', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: body && JSON.stringify(body) }).then(function (response) {
      if (response.status === 204) return null;
      return response.json().then(function (answer) { if (!response.ok) throw new Error(answer.message || t('launcher.error')); return answer; });
    });
  }
  // A button that runs once at a time and shows what went wrong in `note`.
  function button(label, note, run, primary) {
    var node = el('button', { type: 'button', class: primary ? 'tally__cta' : 'tally__link', text: label });
    node.addEventListener('click', function () {
      node.disabled = true;
      note.textContent = '';
      run().catch(function (error) { note.className = 'tally__error'; note.textContent = error.message; }).then(function () { node.disabled = false; });
    });
    return node;
  }
  // Linked or not, the balance the rest of the page shows changes: read it all again.
  function reload() { location.reload(); }

  // Only the shopper links their accounts: a code shown to them here, signed in, is entered at the other shop signed in there (or the other way round).
  function render(group) {
    box.textContent = '';
    if (!group) return;
    var rows = group.shops.map(function (other) {
      if (other.linked) return el('p', { 'data-tally-shop': other.shop, text: t('group.linked', { shop: other.shop }) });
      var note = el('p', { class: 'tally__muted', role: 'status' });
      var code = el('input', { autocomplete: 'one-time-code', maxlength: '20', 'aria-label': t('group.enter', { shop: other.shop }), placeholder: t('group.enter', { shop: other.shop }) });
      var getCode = button(t('group.get_code'), note, function () {
        return json('/codes', 'POST', { shop: other.shop }).then(function (issued) {
          note.className = 'tally__muted';
          note.appendChild(el('strong', {}, [el('code', { 'data-tally-link-code': '', text: issued.code })]));
          note.appendChild(document.createTextNode(' ' + t('group.code', { shop: other.shop })));
        });
      });
      return el('div', { 'data-tally-shop': other.shop }, [
        el('p', {}, [el('span', { text: t('group.unlinked', { shop: other.shop }) + ' ' }), getCode]),
        el('p', { class: 'tally__actions' }, [code, button(t('group.link'), note, function () { return json('/links', 'POST', { code: code.value }).then(reload); }, true)]),
        note,
      ]);
    });
    var note = el('p', { class: 'tally__error', role: 'alert' });
    box.appendChild(el('h3', { text: t('group.title') }));
    rows.forEach(function (row) { box.appendChild(row); });
    if (group.shops.some(function (other) { return other.linked; }))
      box.appendChild(button(t('group.stop'), note, function () { return json('/links', 'DELETE').then(reload); }));
    box.appendChild(note);
  }
  json('').then(function (answer) { render(answer.group); }, function () {});
})();
