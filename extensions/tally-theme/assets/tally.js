/* Tally storefront widget: one request per page view at most (the launcher and account block share it). */
(function () {
  if (window.__tally) return;
  window.__tally = true;
  // The default locale (locales/en.default.json): the widget speaks it when the storefront's language is not one the merchant chose.
  var EN = {"tier.current":"Your tier: {{ tier }}","tier.next":"{{ amount }} more to reach {{ tier }}","tier.top":"You're in our top tier","tier.keep":"{{ amount }} more by {{ date }} to keep {{ tier }}","tier.member":"Member until {{ date }}","tier.orders":"{{ count }} orders","launcher.title":"Rewards","launcher.open":"Open rewards","launcher.close":"Close","launcher.balance":"{{ count }} {{ name }} available","launcher.pending":"{{ count }} pending","launcher.ways_to_earn":"Ways to earn","launcher.rewards":"Rewards","launcher.cost":"{{ count }} {{ name }}","launcher.redeem":"Redeem","launcher.confirm":"Redeem {{ count }} {{ name }} for {{ reward }}?","launcher.confirm_yes":"Yes, redeem","launcher.cancel":"Cancel","launcher.your_codes":"Your codes","launcher.copy":"Copy","launcher.copied":"Copied","launcher.apply":"Apply to cart","launcher.need_more":"{{ count }} more {{ name }} needed","launcher.guest_intro":"Join our rewards program: earn {{ name }} on every order and turn them into discounts.","launcher.sign_in":"Sign in","launcher.sign_up":"Create an account","launcher.error":"Rewards are unavailable right now. Please try again.","launcher.use_title":"Use {{ name }} at checkout","launcher.use_points":"Use {{ count }} {{ name }}","launcher.use_apply":"Apply to checkout","launcher.use_held":"{{ count }} {{ name }} held for your checkout","launcher.use_none":"None used","ways.purchase":"Earn {{ name }} on every order: {{ points }} per {{ amount }} spent","ways.cash_back":"{{ percent }}% back as store credit","ways.punch_card":"{{ points }} bonus {{ name }} every {{ count }} orders","ways.promotion":"{{ title }}: {{ multiplier }}× {{ name }} until {{ date }}","ways.tag":"{{ multiplier }}× {{ name }} on {{ tag }} items","ways.selected":"{{ multiplier }}× {{ name }} on selected items","ways.minimum":"On orders of {{ amount }} or more","history.order":"Purchase","history.refund":"Refund","history.cancel":"Order cancelled","history.edit":"Order changed","history.release":"{{ name }} confirmed","history.redeem":"Redeemed: {{ reward }}","history.redeem_plain":"Reward redeemed","history.reward_returned":"{{ name }} returned","history.hold":"Held for checkout","history.hold_release":"Checkout hold released","history.expire":"{{ name }} expired","history.adjust":"Adjusted by the store","history.tier":"Reached {{ tier }}","history.other":"Bonus","product.earn":"Earn {{ points }} {{ name }} with this purchase","cart.earn":"You'll earn {{ points }} {{ name }} with this order","account.title":"Your rewards","account.loading":"Loading your rewards…","account.history":"Recent activity"};
  var configTag = document.querySelector('[data-tally-config]');
  if (!configTag) return;
  var config = JSON.parse(configTag.textContent);
  var root = document.getElementById('tally-launcher');
  var accountBody = document.querySelector('[data-tally-account-body]');
  var viewer = (root || document.querySelector('[data-tally-account]') || {}).dataset;
  var proxy = config.root + '/apps/loyalty';
  var lang = config.lang || 'en';
  var text = JSON.parse(document.querySelector('[data-tally-i18n]').textContent);
  var pointsName = config.pointsName || 'points';
  var view = null;
  var loaded;
  var panel = root && root.querySelector('.tally__panel');

  function allowLanguages(languages) {
    if (!languages || languages.indexOf(lang) >= 0) return;
    lang = 'en';
    text = EN;
    document.querySelectorAll('[data-tally-text]').forEach(function (node) { node.textContent = t(node.dataset.tallyText); });
    earnLines();
  }
  function t(key, values) {
    values = values || {};
    return String(text[key] || EN[key] || key).replace(/\{\{\s*(\w+)\s*\}\}/g, function (match, name) {
      if (!(name in values)) return name === 'name' ? pointsName : match;
      return typeof values[name] === 'number' ? values[name].toLocaleString(lang) : values[name];
    });
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
  // `short`: a whole amount without its zero cents ("1 per $1"), as the earning rules read.
  function money(minor, currency, short) {
    var format = new Intl.NumberFormat(lang, { style: 'currency', currency: currency });
    var amount = minor / Math.pow(10, format.resolvedOptions().maximumFractionDigits);
    return short && amount % 1 === 0 ? new Intl.NumberFormat(lang, { style: 'currency', currency: currency, minimumFractionDigits: 0 }).format(amount) : format.format(amount);
  }
  function key() {
    return 'r' + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  }
  function json(url, init) {
    return fetch(url, Object.assign({ credentials: 'same-origin', headers: { 'Content-Type': 'application/json', Accept: 'application/json' } }, init)).then(function (response) {
      if (response.status === 204) return null;
      return response.json().then(function (body) { if (!response.ok) throw new Error(body.message || t('launcher.error')); return body; });
    });
  }
  // The guest view is cacheable; keying the URL by customer keeps a cached guest view from
  // being shown to the same browser once it signs in.
  function load(fresh) {
    if (fresh || !loaded) loaded = json(proxy + '/customer?viewer=' + encodeURIComponent((viewer && viewer.customer) || 'guest'));
    return loaded.then(function (next) {
      view = next;
      pointsName = next.program.pointsName;
      allowLanguages(next.program.widget.languages);
      return next;
    });
  }

  // "Earn N points": per unit on a product page (following the quantity field), for the cart as a whole.
  function earnLines() {
    document.querySelectorAll('[data-tally-earn]').forEach(function (line) {
      var quantity = 1;
      if (line.hasAttribute('data-per-unit')) {
        var field = document.querySelector('form[action$="/cart/add"] [name=quantity]');
        quantity = Math.max(1, Math.floor(Number(field && field.value) || 1));
      }
      var points = Math.floor(Number(line.dataset.amount) * quantity * Number(line.dataset.rate) / Number(line.dataset.unit));
      line.hidden = points <= 0;
      line.textContent = t(line.dataset.tallyEarn.replace(/^tally\./, ''), { points: points });
    });
  }

  // The one place the balance is shown from: every surface (launcher button, panel, account) follows the last view.
  function show() {
    var p = view.points;
    if (root && p) root.querySelector('.tally__label').textContent = t('launcher.balance', { count: p.balance });
    if (panel && !panel.hidden) render();
    if (accountBody) account();
  }
  function section(title, items) {
    return items.length ? el('section', {}, [el('h3', { text: title }), el('ul', {}, items)]) : null;
  }
  function codeRow(code) {
    var copy = el('button', { type: 'button', class: 'tally__link', text: t('launcher.copy') });
    copy.addEventListener('click', function () {
      if (navigator.clipboard) navigator.clipboard.writeText(code.code);
      copy.textContent = t('launcher.copied');
    });
    return el('li', { class: 'tally__code' }, [
      el('code', { text: code.code }),
      el('span', { text: code.rewardName }),
      copy,
      el('a', { class: 'tally__link', href: config.root + '/discount/' + encodeURIComponent(code.code) + '?redirect=' + encodeURIComponent(config.root + '/cart'), text: t('launcher.apply') }),
    ]);
  }
  function wayText(way) {
    var currency = view.program.currency;
    switch (way.kind) {
      case 'purchase': return t('ways.purchase', { points: way.points, amount: money(way.amountMinor, currency, true) });
      case 'cash_back': return t('ways.cash_back', { percent: way.percent });
      case 'punch_card': return t('ways.punch_card', { points: way.points, count: way.every });
      case 'promotion': return t('ways.promotion', { title: way.title, multiplier: way.multiplier, date: date(way.until) });
      case 'multiplier': return way.tag ? t('ways.tag', { multiplier: way.multiplier, tag: way.tag }) : t('ways.selected', { multiplier: way.multiplier });
      case 'minimum': return t('ways.minimum', { amount: money(way.amountMinor, currency, true) });
      default: return way.text;
    }
  }
  function date(value) {
    return new Date(value.length === 10 ? value + 'T12:00:00Z' : value).toLocaleDateString(lang, { day: 'numeric', month: 'short' });
  }
  function historyText(entry) {
    var d = entry.description;
    if (d.kind === 'redeem') return d.reward ? t('history.redeem', { reward: d.reward }) : t('history.redeem_plain');
    if (d.kind === 'tier') return t('history.tier', { tier: d.tier });
    if (d.kind === 'adjust') return t('history.adjust') + (d.note ? ': ' + d.note : '');
    if (d.kind === 'other') return t('history.other');
    return t('history.' + d.kind);
  }
  function historyRow(entry) {
    var points = entry.points || entry.pending;
    return el('li', { 'data-kind': entry.description.kind }, [
      el('span', { text: historyText(entry) + (entry.pending && !entry.points ? ' (' + t('launcher.pending', { count: entry.pending }) + ')' : '') }),
      el('span', { class: 'tally__muted tally__when', text: (points > 0 ? '+' : '') + points.toLocaleString(lang) + ' · ' + date(entry.createdAt) }),
    ]);
  }
  function amountText(metric, remaining) {
    if (metric === 'spend') return money(remaining, view.program.currency);
    return metric === 'orders' ? t('tier.orders', { count: remaining }) : t('launcher.cost', { count: remaining });
  }
  function tierBlock() {
    var progress = view.tierProgress;
    var next = view.nextTier;
    var nextAt = next && progress.tiers.filter(function (tier) { return tier.id === next.id; })[0];
    var lines = [el('p', { class: 'tally__tier', 'data-tally-tier': view.tier.id, text: t('tier.current', { tier: view.tier.name }) })];
    if (nextAt) {
      var label = t('tier.next', { amount: amountText(progress.metric, next.remaining), tier: next.name });
      lines.push(el('progress', { max: String(nextAt.threshold), value: String(Math.max(0, Math.min(progress.value, nextAt.threshold))), 'aria-label': label }));
      lines.push(el('p', { class: 'tally__muted', text: label }));
    } else lines.push(el('p', { class: 'tally__muted', text: t('tier.top') }));
    if (progress.keep) lines.push(el('p', { class: 'tally__muted', 'data-tally-keep': '', text: t('tier.keep', { amount: amountText(progress.metric, progress.keep.remaining), date: date(progress.keep.by), tier: progress.keep.name }) }));
    if (view.membership.active) lines.push(el('p', { class: 'tally__muted', text: t('tier.member', { date: date(view.membership.until) }) }));
    return el('section', { class: 'tally__tiers' }, lines);
  }
  function rewardRow(reward) {
    var p = view.points;
    var row = el('li', { class: 'tally__reward' }, [el('span', { class: 'tally__what' }, [el('span', { text: reward.name }), el('small', { class: 'tally__muted', text: t('launcher.cost', { count: reward.pointsCost }) })])]);
    if (!p) return row;
    var short = reward.pointsCost - p.balance;
    if (short > 0) row.appendChild(el('span', { class: 'tally__muted', text: t('launcher.need_more', { count: short }) }));
    else row.appendChild(el('button', { type: 'button', class: 'tally__cta', 'data-reward': reward.id, text: t('launcher.redeem'), onclick: function () { confirmRedeem(row, reward); } }));
    return row;
  }
  // Points are spent only after the shopper confirms what they give up and what they get.
  function confirmRedeem(row, reward) {
    var box = el('div', { class: 'tally__confirm', role: 'group' }, [el('p', { text: t('launcher.confirm', { count: reward.pointsCost, reward: reward.name }) })]);
    var yes = el('button', { type: 'button', class: 'tally__cta', 'data-confirm': reward.id, text: t('launcher.confirm_yes'), onclick: function () { redeem(box, reward, yes); } });
    box.appendChild(el('div', { class: 'tally__actions' }, [yes, el('button', { type: 'button', class: 'tally__link', text: t('launcher.cancel'), onclick: render })]));
    row.parentNode.replaceChild(box, row);
    yes.focus();
  }
  function redeem(box, reward, button) {
    button.disabled = true;
    json(proxy + '/redemptions', { method: 'POST', body: JSON.stringify({ rewardId: reward.id, requestKey: key() }) })
      .then(function () { return load(true); })
      .then(show)
      .catch(function (error) {
        button.disabled = false;
        box.appendChild(el('p', { role: 'alert', class: 'tally__error', text: error.message || t('launcher.error') }));
      });
  }
  function render() {
    var p = view.points;
    panel.textContent = '';
    panel.appendChild(el('div', { class: 'tally__head' }, [
      el('strong', { text: t('launcher.title') }),
      el('button', { type: 'button', class: 'tally__close', 'aria-label': t('launcher.close'), text: '×', onclick: toggle }),
    ]));
    if (p) {
      panel.appendChild(el('p', { class: 'tally__balance', 'data-tally-balance': String(p.balance), text: t('launcher.balance', { count: p.balance }) }));
      if (p.pending) panel.appendChild(el('p', { class: 'tally__muted', text: t('launcher.pending', { count: p.pending }) }));
      if (view.tierProgress && view.tier) panel.appendChild(tierBlock());
    } else {
      panel.appendChild(el('p', { text: t('launcher.guest_intro') }));
      panel.appendChild(el('p', {}, [
        el('a', { class: 'tally__cta', href: root.dataset.login, text: t('launcher.sign_in') }), document.createTextNode(' '),
        el('a', { class: 'tally__link', href: root.dataset.register, text: t('launcher.sign_up') }),
      ]));
    }
    [
      section(t('launcher.your_codes'), view.codes.map(codeRow)),
      section(t('launcher.ways_to_earn'), view.program.waysToEarn.map(function (way) { return el('li', { 'data-way': way.kind, text: wayText(way) }); })),
      section(t('launcher.rewards'), view.program.rewards.map(rewardRow)),
    ].forEach(function (part) { if (part) panel.appendChild(part); });
    if (p && !document.querySelector('[data-tally-slider]')) slider(panel.appendChild(el('section', { class: 'tally__use' })), Number(root.dataset.cartTotal) || 0, root.dataset.hold);
  }
  function account() {
    var box = accountBody.parentNode;
    accountBody.textContent = view.points ? t('launcher.balance', { count: view.points.balance }) : '';
    box.querySelectorAll('.tally__tiers, [data-tally-history]').forEach(function (node) { node.remove(); });
    if (view.tierProgress && view.tier) box.appendChild(tierBlock());
    var history = section(t('account.history'), view.history.map(historyRow));
    if (history) box.appendChild(history).setAttribute('data-tally-history', '');
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
      var range = el('input', { type: 'range', min: '0', max: String(steps * terms.stepPoints), step: String(terms.stepPoints), value: String(held ? held.points : 0), 'aria-label': t('launcher.use_title') });
      var label = el('output', { class: 'tally-slider__value' });
      var note = el('p', { class: 'tally__muted', role: 'status', text: held ? t('launcher.use_held', { count: held.points }) : '' });
      function showValue() {
        var points = Number(range.value);
        if (points && points < terms.minSteps * terms.stepPoints) range.value = points = terms.minSteps * terms.stepPoints;
        label.textContent = points ? t('launcher.use_points', { count: points }) + ': −' + money(points / terms.stepPoints * terms.stepAmount, terms.currency) : t('launcher.use_none');
      }
      range.addEventListener('input', showValue);
      var button = el('button', { type: 'button', class: 'tally__cta', text: t('launcher.use_apply'), onclick: function () {
        var points = Number(range.value);
        button.disabled = true;
        var release = held ? json(proxy + '/holds/' + encodeURIComponent(held.holdId), { method: 'DELETE' }).catch(function () { return null; }) : Promise.resolve(null);
        release.then(function () {
          held = null;
          if (!points) return { holdId: '' };
          var body = { points: points, requestKey: 'h' + key() };
          if (total) body.cartSubtotal = total;
          return json(proxy + '/holds', { method: 'POST', body: JSON.stringify(body) });
        }).then(function (hold) {
          held = hold.holdId ? hold : null;
          return json(config.root + '/cart/update.js', { method: 'POST', body: JSON.stringify({ attributes: { _tally_hold: hold.holdId } }) });
        }).then(function () {
          note.className = 'tally__muted';
          note.textContent = held ? t('launcher.use_held', { count: held.points }) : t('launcher.use_none');
          if (box.hasAttribute('data-tally-slider')) location.reload();
          else load(true).then(function () { if (view.points) root.querySelector('.tally__label').textContent = t('launcher.balance', { count: view.points.balance }); });
        }).catch(function (error) {
          note.className = 'tally__error';
          note.textContent = error.message || t('launcher.error');
        }).then(function () { button.disabled = false; });
      } });
      box.textContent = '';
      box.appendChild(el('div', { class: 'tally-slider' }, [el('strong', { text: t('launcher.use_title') }), range, label, button, note]));
      showValue();
    }, function () {});
  }
  function toggle() {
    var button = root.querySelector('.tally__button');
    var open = panel.hidden;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) load().then(render, function () { panel.textContent = t('launcher.error'); });
  }

  allowLanguages(config.languages);
  earnLines();
  document.addEventListener('input', function (event) { if (event.target.name === 'quantity') earnLines(); });
  if (root) root.querySelector('.tally__button').addEventListener('click', toggle);
  if (viewer && viewer.customer) load().then(show, function () { if (accountBody) accountBody.textContent = t('launcher.error'); });
  var cartSlider = document.querySelector('[data-tally-slider]');
  if (cartSlider) slider(cartSlider, Number(cartSlider.dataset.cartTotal) || 0, cartSlider.dataset.hold);
})();
