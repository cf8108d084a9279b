/* Tally storefront widget: one request per page view at most (the launcher and account block share it). */
(function () {
  if (window.__tally) return;
  window.__tally = true;
  var root = document.getElementById('tally-launcher');
  var account = document.querySelector('[data-tally-account-body]');
  var source = root || document.querySelector('[data-tally-account]');
  if (!source) return;
  var proxy = (root && root.dataset.proxy) || '/apps/loyalty';
  var text = root ? JSON.parse(root.dataset.i18n) : {};
  var loaded;

  function t(key, count) {
    return String(text[key] || key).replace('{{ count }}', count);
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) {
      if (name === 'text') node.textContent = attrs[name];
      else if (name.slice(0, 2) === 'on') node.addEventListener(name.slice(2), attrs[name]);
      else node.setAttribute(name, attrs[name]);
    }
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function load() {
    // The guest view is cacheable; keying the URL by customer keeps a cached guest view from
    // being shown to the same browser once it signs in.
    loaded = loaded || fetch(proxy + '/customer?viewer=' + encodeURIComponent(source.dataset.customer || 'guest'), { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
    return loaded;
  }
  function copyButton(code) {
    var button = el('button', { type: 'button', class: 'tally__link', text: t('copy') });
    button.addEventListener('click', function () {
      if (navigator.clipboard) navigator.clipboard.writeText(code);
      button.textContent = t('copied');
    });
    return button;
  }
  function codeRow(code) {
    var root = (source.dataset.root || '');
    return el('li', { class: 'tally__code' }, [
      el('code', { text: code.code }),
      el('span', { text: ' ' + code.rewardName + ' ' }),
      copyButton(code.code),
      el('a', { class: 'tally__link', href: root + '/discount/' + encodeURIComponent(code.code) + '?redirect=' + encodeURIComponent(root + '/cart'), text: t('apply') }),
    ]);
  }
  function section(title, items) {
    return items.length ? el('section', {}, [el('h3', { text: title }), el('ul', {}, items)]) : null;
  }
  function render(panel, view) {
    panel.textContent = '';
    var p = view.points;
    panel.appendChild(el('div', { class: 'tally__head' }, [
      el('strong', { text: t('title') }),
      el('button', { type: 'button', class: 'tally__close', 'aria-label': t('close'), text: '×', onclick: toggle }),
    ]));
    if (p) {
      panel.appendChild(el('p', { class: 'tally__balance', 'data-tally-balance': String(p.balance), text: t('balance', p.balance) }));
      if (p.pending) panel.appendChild(el('p', { class: 'tally__muted', text: t('pending', p.pending) }));
    } else {
      panel.appendChild(el('p', { text: t('guest') }));
      panel.appendChild(el('p', {}, [
        el('a', { class: 'tally__cta', href: source.dataset.login, text: t('signIn') }), document.createTextNode(' '),
        el('a', { class: 'tally__link', href: source.dataset.register, text: t('signUp') }),
      ]));
    }
    panel.appendChild(section(t('codes'), view.codes.map(codeRow)) || document.createTextNode(''));
    panel.appendChild(section(t('ways'), view.program.waysToEarn.map(function (way) { return el('li', { text: way.text }); })) || document.createTextNode(''));
    panel.appendChild(section(t('rewards'), view.program.rewards.map(function (reward) {
      var short = p ? reward.pointsCost - p.balance : 0;
      var action = !p ? null : short > 0
        ? el('span', { class: 'tally__muted', text: t('needMore', short) })
        : el('button', { type: 'button', class: 'tally__cta', 'data-reward': reward.id, text: t('redeem'), onclick: function (event) { redeem(panel, reward, event.target); } });
      return el('li', { class: 'tally__reward' }, [el('span', { text: reward.name + ' · ' + reward.pointsCost }), action]);
    })) || document.createTextNode(''));
  }
  function redeem(panel, reward, button) {
    button.disabled = true;
    var key = 'r' + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    fetch(proxy + '/redemptions', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rewardId: reward.id, requestKey: key }) })
      .then(function (response) { return response.json().then(function (body) { if (!response.ok) throw new Error(body.message); return body; }); })
      .then(function () { loaded = null; return load(); })
      .then(function (view) { render(panel, view); })
      .catch(function (error) { button.disabled = false; panel.appendChild(el('p', { role: 'alert', class: 'tally__error', text: error.message || t('error') })); });
  }
  function toggle() {
    var button = root.querySelector('.tally__button');
    var panel = root.querySelector('.tally__panel');
    var open = panel.hidden;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) load().then(function (view) { render(panel, view); }, function () { panel.textContent = t('error'); });
  }
  if (root) {
    root.querySelector('.tally__button').addEventListener('click', toggle);
    if (root.dataset.customer) load().then(function (view) {
      if (view.points) root.querySelector('.tally__label').textContent = t('balance', view.points.balance);
    }, function () {});
  }
  if (account) load().then(function (view) {
    account.textContent = view.points ? t('balance', view.points.balance) : '';
    account.parentNode.appendChild(section(t('history'), view.history.map(function (entry) {
      return el('li', { text: (entry.points > 0 ? '+' : '') + entry.points + ' · ' + entry.reason });
    })) || document.createTextNode(''));
  }, function () { account.textContent = t('error'); });
})();
