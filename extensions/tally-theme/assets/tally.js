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
  var tierText = JSON.parse((root || source).dataset.i18nTier || '{}');
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
  // Tier and membership lines (launcher and account block): tier strings come from data-i18n-tier.
  function fill(key, values) {
    return String(tierText[key] || key).replace(/\{\{\s*(\w+)\s*\}\}/g, function (match, name) { return name in values ? values[name] : match; });
  }
  function tierBlock(view) {
    var progress = view.tierProgress;
    var next = view.nextTier;
    var nextAt = next && progress.tiers.filter(function (tier) { return tier.id === next.id; })[0];
    var lines = [el('p', { class: 'tally__tier', 'data-tally-tier': view.tier ? view.tier.id : '', text: fill('current', { tier: view.tier ? view.tier.name : '' }) })];
    if (nextAt) {
      lines.push(el('progress', { max: String(nextAt.threshold), value: String(Math.max(0, Math.min(progress.value, nextAt.threshold))), 'aria-label': fill('next', { amount: progress.nextText, tier: next.name }) }));
      lines.push(el('p', { class: 'tally__muted', text: fill('next', { amount: progress.nextText, tier: next.name }) }));
    } else lines.push(el('p', { class: 'tally__muted', text: fill('top', {}) }));
    if (progress.keep) lines.push(el('p', { class: 'tally__muted', 'data-tally-keep': '', text: fill('keep', { amount: progress.keep.remainingText, date: progress.keep.by, tier: progress.keep.name }) }));
    if (view.membership.active) lines.push(el('p', { class: 'tally__muted', text: fill('member', { date: view.membership.until.slice(0, 10) }) }));
    return el('section', { class: 'tally__tiers' }, lines);
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
      if (view.tierProgress && view.tier) panel.appendChild(tierBlock(view));
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
    if (p && !document.querySelector('[data-tally-slider]')) slider(panel.appendChild(el('section', { class: 'tally__use' })), Number(root.dataset.cartTotal) || 0, root.dataset.hold);
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
  function money(minor, currency) {
    var format = new Intl.NumberFormat(document.documentElement.lang || 'en', { style: 'currency', currency: currency });
    return format.format(minor / Math.pow(10, format.resolvedOptions().maximumFractionDigits));
  }
  function json(url, init) {
    return fetch(url, Object.assign({ credentials: 'same-origin', headers: { 'Content-Type': 'application/json', Accept: 'application/json' } }, init)).then(function (response) {
      if (response.status === 204) return null;
      return response.json().then(function (body) { if (!response.ok) throw new Error(body.message || t('error')); return body; });
    });
  }
  // Points as a discount at checkout: a hold through the app proxy, named on the cart by the
  // `_tally_hold` attribute (Ajax Cart API), which the Discount Function reads.
  function slider(box, total, current) {
    json(proxy + '/holds').then(function (state) {
      var terms = state.terms;
      if (!terms) return;
      var held = state.holds.filter(function (hold) { return hold.holdId === current; })[0];
      var steps = Math.min(terms.maxSteps, Math.floor((state.balance + (held ? held.points : 0)) / terms.stepPoints));
      if (total) steps = Math.min(steps, Math.floor(total / terms.stepAmount));
      if (steps < terms.minSteps) return;
      var range = el('input', { type: 'range', min: '0', max: String(steps * terms.stepPoints), step: String(terms.stepPoints), value: String(held ? held.points : 0), 'aria-label': t('useTitle') });
      var label = el('output', { class: 'tally-slider__value' });
      var note = el('p', { class: 'tally__muted', role: 'status', text: held ? t('useHeld', held.points) : '' });
      function show() {
        var points = Number(range.value);
        if (points && points < terms.minSteps * terms.stepPoints) range.value = points = terms.minSteps * terms.stepPoints;
        label.textContent = points ? t('usePoints', points) + ': −' + money(points / terms.stepPoints * terms.stepAmount, terms.currency) : t('useNone');
      }
      range.addEventListener('input', show);
      var button = el('button', { type: 'button', class: 'tally__cta', text: t('useApply'), onclick: function () {
        var points = Number(range.value);
        button.disabled = true;
        var release = held ? json(proxy + '/holds/' + encodeURIComponent(held.holdId), { method: 'DELETE' }).catch(function () { return null; }) : Promise.resolve(null);
        release.then(function () {
          held = null;
          if (!points) return { holdId: '' };
          var body = { points: points, requestKey: 'h' + Date.now().toString(36) + Math.random().toString(36).slice(2, 10) };
          if (total) body.cartSubtotal = total;
          return json(proxy + '/holds', { method: 'POST', body: JSON.stringify(body) });
        }).then(function (hold) {
          held = hold.holdId ? hold : null;
          return json((source.dataset.root || '') + '/cart/update.js', { method: 'POST', body: JSON.stringify({ attributes: { _tally_hold: hold.holdId } }) });
        }).then(function () {
          note.className = 'tally__muted';
          note.textContent = held ? t('useHeld', held.points) : t('useNone');
          if (box.hasAttribute('data-tally-slider')) location.reload();
        }).catch(function (error) {
          note.className = 'tally__error';
          note.textContent = error.message || t('error');
        }).then(function () { button.disabled = false; });
      } });
      box.textContent = '';
      box.appendChild(el('div', { class: 'tally-slider' }, [el('strong', { text: t('useTitle') }), range, label, button, note]));
      show();
    }, function () {});
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
  var cartSlider = document.querySelector('[data-tally-slider]');
  if (cartSlider) slider(cartSlider, Number(cartSlider.dataset.cartTotal) || 0, cartSlider.dataset.hold);
  if (account) load().then(function (view) {
    account.textContent = view.points ? t('balance', view.points.balance) : '';
    if (view.tierProgress && view.tier) account.parentNode.appendChild(tierBlock(view));
    account.parentNode.appendChild(section(t('history'), view.history.map(function (entry) {
      return el('li', { text: (entry.points > 0 ? '+' : '') + entry.points + ' · ' + entry.reason });
    })) || document.createTextNode(''));
  }, function () { account.textContent = t('error'); });
})();
