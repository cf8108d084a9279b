/* Tally storefront widget: one request per page view at most (the launcher and account block share it). */
(function () {
  if (window.__tally) return;
  window.__tally = true;
  // The default locale (locales/en.default.json): the widget speaks it when the storefront's language is not one the merchant chose.
  var EN = {"tier.current":"Your tier: {{ tier }}","tier.next":"{{ amount }} more to reach {{ tier }}","tier.top":"You're in our top tier","tier.keep":"{{ amount }} more by {{ date }} to keep {{ tier }}","tier.member":"Member until {{ date }}","tier.orders":"{{ count }} orders","launcher.title":"Rewards","launcher.open":"Open rewards","launcher.close":"Close","launcher.balance":"{{ count }} {{ name }} available","launcher.pending":"{{ count }} pending","launcher.ways_to_earn":"Ways to earn","launcher.rewards":"Rewards","launcher.cost":"{{ count }} {{ name }}","launcher.redeem":"Redeem","launcher.confirm":"Redeem {{ count }} {{ name }} for {{ reward }}?","launcher.confirm_yes":"Yes, redeem","launcher.cancel":"Cancel","launcher.your_codes":"Your codes","launcher.copy":"Copy","launcher.copied":"Copied","launcher.apply":"Apply to cart","launcher.need_more":"{{ count }} more {{ name }} needed","launcher.guest_intro":"Join our rewards program: earn {{ name }} on every order and turn them into discounts.","launcher.sign_in":"Sign in","launcher.sign_up":"Create an account","launcher.error":"Rewards are unavailable right now. Please try again.","launcher.use_title":"Use {{ name }} at checkout","launcher.use_points":"Use {{ count }} {{ name }}","launcher.use_apply":"Apply to checkout","launcher.use_held":"{{ count }} {{ name }} held for your checkout","launcher.use_none":"None used","ways.purchase":"Earn {{ name }} on every order: {{ points }} per {{ amount }} spent","ways.cash_back":"{{ percent }}% back as store credit","ways.punch_card":"{{ points }} bonus {{ name }} every {{ count }} orders","ways.promotion":"{{ title }}: {{ multiplier }}× {{ name }} until {{ date }}","ways.tag":"{{ multiplier }}× {{ name }} on {{ tag }} items","ways.selected":"{{ multiplier }}× {{ name }} on selected items","ways.minimum":"On orders of {{ amount }} or more","history.order":"Purchase","history.refund":"Refund","history.cancel":"Order cancelled","history.edit":"Order changed","history.order_named":"Order {{ order }}","history.refund_named":"Refund on order {{ order }}","history.cancel_named":"Order {{ order }} cancelled","history.edit_named":"Order {{ order }} changed","history.release":"{{ name }} confirmed","history.redeem":"Redeemed: {{ reward }}","history.redeem_plain":"Reward redeemed","history.reward_returned":"{{ name }} returned","history.hold":"Held for checkout","history.hold_release":"Checkout hold released","history.expire":"{{ name }} expired","history.adjust":"Adjusted by the store","history.tier":"Reached {{ tier }}","history.other":"Bonus","product.earn":"Earn {{ points }} {{ name }} with this purchase","cart.earn":"You'll earn {{ points }} {{ name }} with this order","account.title":"Your rewards","account.loading":"Loading your rewards…","account.history":"Recent activity","engage.title":"Earn more","engage.birthday":"Your birthday: +{{ points }} {{ name }} in your birthday month","engage.birthday_set":"Birthday on file: {{ date }}","engage.birthday_later":"Saved: your birthday {{ name }} arrive in your birthday month","engage.save":"Save","engage.newsletter":"Join our newsletter: +{{ points }} {{ name }}","engage.follow":"Follow us on {{ network }}: +{{ points }} {{ name }}","engage.claim":"Claim","engage.done":"Done","engage.review":"Review a product: +{{ points }} {{ name }} (up to {{ count }} a month)","engage.earned":"Thank you! +{{ points }} {{ name }}","engage.refer_title":"Refer a friend","engage.refer":"Give friends {{ offer }} off their first order and get {{ points }} {{ name }} when they buy","engage.share":"Share","engage.survey":"Quick survey","engage.nps":"How likely are you to recommend us to a friend? +{{ points }} {{ name }}","engage.nps_low":"Not likely","engage.nps_high":"Very likely","engage.nps_pick":"Pick a score from 0 to 10","engage.comment":"Anything to add? (optional)","engage.send":"Send","engage.badges":"Badges and challenges","engage.badge_earned":"Earned {{ date }}","engage.challenge":"{{ count }} of {{ total }} orders by {{ date }}: +{{ points }} {{ name }}","engage.donate_title":"Give to a cause","engage.amount":"How many {{ name }}","engage.donate":"Give","engage.donated":"Thank you! {{ points }} {{ name }} given to {{ cause }}","engage.transfer_title":"Send {{ name }} to a friend","engage.member":"Your member number: {{ id }}","engage.to":"Friend's member number","engage.sent":"Sent {{ points }} {{ name }}","engage.offer":"{{ title }}: +{{ points }} {{ name }} on your next order by {{ date }}"};
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
    if (d.order) return t('history.' + d.kind + '_named', { order: d.order });
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
  function costOf(reward) {
    var cost = (view.rewardCosts || {})[reward.id];
    return cost === undefined ? reward.pointsCost : cost;
  }
  function rewardRow(reward) {
    var p = view.points;
    var row = el('li', { class: 'tally__reward' }, [el('span', { class: 'tally__what' }, [el('span', { text: reward.name }), el('small', { class: 'tally__muted', text: t('launcher.cost', { count: costOf(reward) }) })])]);
    if (!p) return row;
    var short = costOf(reward) - p.balance;
    if (short > 0) row.appendChild(el('span', { class: 'tally__muted', text: t('launcher.need_more', { count: short }) }));
    else row.appendChild(el('button', { type: 'button', class: 'tally__cta', 'data-reward': reward.id, text: t('launcher.redeem'), onclick: function () { confirmRedeem(row, reward); } }));
    return row;
  }
  // Points are spent only after the shopper confirms what they give up and what they get.
  function confirmRedeem(row, reward) {
    var box = el('div', { class: 'tally__confirm', role: 'group' }, [el('p', { text: t('launcher.confirm', { count: costOf(reward), reward: reward.name }) })]);
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
      p && engage(el('div', { class: 'tally-engage' })),
      section(t('launcher.rewards'), view.program.rewards.map(rewardRow)),
    ].forEach(function (part) { if (part) panel.appendChild(part); });
    if (p && !document.querySelector('[data-tally-slider]')) slider(panel.appendChild(el('section', { class: 'tally__use' })), Number(root.dataset.cartTotal) || 0, root.dataset.hold);
  }
  function account() {
    var box = accountBody.parentNode;
    accountBody.textContent = view.points ? t('launcher.balance', { count: view.points.balance }) : '';
    box.querySelectorAll('.tally__tiers, [data-tally-history], .tally-engage').forEach(function (node) { node.remove(); });
    if (view.tierProgress && view.tier) box.appendChild(tierBlock());
    if (view.points) box.appendChild(engage(el('div', { class: 'tally-engage' })));
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
  // Beyond orders: docs/engagement.md.
  var engaged;
  var flash = '';
  function engagement(fresh) {
    if (fresh || !engaged) engaged = Promise.all([json(proxy + '/engagement'), json(proxy + '/referral').catch(function () { return null; })]);
    return engaged;
  }
  function btn(label, run, primary) {
    var button = el('button', { type: 'button', class: primary ? 'tally__cta' : 'tally__link', text: label });
    button.onclick = function () { button.disabled = true; run().then(function () { button.disabled = false; }); };
    return button;
  }
  function act(path, body, thanks, note) {
    return json(proxy + path, { method: 'POST', body: JSON.stringify(body) }).then(function (result) {
      flash = thanks(result);
      return Promise.all([engagement(true), load(true)]).then(show);
    }).catch(function (error) { note.textContent = error.message || t('launcher.error'); });
  }
  function earned(result) { return t('engage.earned', { points: result.points }); }
  function muted(text) { return el('span', { class: 'tally__muted', text: text }); }
  function field(tag, label, attrs) {
    attrs['aria-label'] = attrs.placeholder = label;
    return el(tag, attrs);
  }
  function ends(low, high) { return el('p', { class: 'tally__muted tally__ends' }, [el('span', { text: low }), el('span', { text: high })]); }
  function form(id, title, fields, label, run) {
    var note = el('p', { class: 'tally__error', role: 'alert' });
    return el('section', { 'data-tally-form': id }, [el('h3', { text: title })].concat(fields, [btn(label, function () { note.textContent = ''; return run(note); }, true), note]));
  }
  function engage(box) {
    engagement().then(function (both) {
      var e = both[0];
      var ref = both[1];
      var a = e.actions;
      var note = el('p', { class: 'tally__error', role: 'alert' });
      var rows = [];
      var done = muted('✓ ' + t('engage.done'));
      function row(id, text, extra) { rows.push(el('li', { 'data-action': id }, [el('span', { text: text }), extra])); }
      function claim(id, text, claimed, body) { row(id, text, claimed ? done.cloneNode(true) : btn(t('engage.claim'), function () { return act('/actions', body, earned, note); })); }
      box.textContent = '';
      if (flash) box.appendChild(el('p', { class: 'tally__flash', role: 'status', 'data-tally-flash': '', text: flash }));
      e.offers.forEach(function (o) { box.appendChild(el('p', { class: 'tally__flash', 'data-tally-offer': o.kind, text: t('engage.offer', { title: o.title, points: o.points, date: date(o.expiresAt) }) })); });
      if (a.birthday.enabled) {
        var birthday = t('engage.birthday', { points: a.birthday.points });
        var day = el('input', { type: 'date', 'aria-label': birthday });
        if (a.birthday.birthday) row('birthday', t('engage.birthday_set', { date: a.birthday.birthday.slice(-5) }));
        else row('birthday', birthday, el('span', { class: 'tally__actions' }, [day, btn(t('engage.save'), function () {
          return act('/actions', { type: 'birthday', birthday: day.value }, function (result) { return result.points ? earned(result) : t('engage.birthday_later'); }, note);
        })]));
      }
      if (a.newsletter.enabled) claim('newsletter', t('engage.newsletter', { points: a.newsletter.points }), a.newsletter.done, { type: 'newsletter' });
      if (a.socialFollow.enabled) a.socialFollow.networks.forEach(function (network) {
        claim('follow-' + network, t('engage.follow', { network: network.charAt(0).toUpperCase() + network.slice(1), points: a.socialFollow.points }), a.socialFollow.followed.indexOf(network) >= 0, { type: 'social_follow', network: network });
      });
      if (a.review.enabled) row('review', t('engage.review', { points: a.review.points, count: a.review.perMonth }));
      var parts = [section(t('engage.title'), rows)];
      if (rows.length) parts[0].appendChild(note);
      if (ref) {
        // /discount/CODE applies the friend's code, then lands with tally_ref.
        var link = location.origin + config.root + '/discount/' + ref.code + '?redirect=' + encodeURIComponent(config.root + '/?tally_ref=' + ref.code);
        var friend = ref.friendDiscount;
        var url = el('input', { readonly: '', value: link, 'aria-label': t('engage.refer_title'), onfocus: function () { url.select(); } });
        var copy = btn(t('launcher.copy'), function () {
          url.select();
          return Promise.resolve(navigator.clipboard && navigator.clipboard.writeText(link)).then(function () { copy.textContent = t('launcher.copied'); }, function () {});
        }, true);
        parts.push(el('section', { 'data-tally-referral': ref.code }, [
          el('h3', { text: t('engage.refer_title') }),
          el('p', { text: t('engage.refer', { offer: friend.kind === 'percentage_off' ? friend.value + '%' : money(friend.value, view.program.currency, true), points: ref.referrerPoints }) }),
          url,
          el('div', { class: 'tally__actions' }, [copy, navigator.share && btn(t('engage.share'), function () { return navigator.share({ url: link }).catch(function () {}); })]),
        ]));
      }
      if (e.nps.due) {
        var score = null;
        var question = t('engage.nps', { points: e.nps.points });
        var scale = el('div', { class: 'tally__scale', role: 'radiogroup', 'aria-label': question });
        for (var i = 0; i <= 10; i++) scale.appendChild(el('button', { type: 'button', role: 'radio', 'aria-checked': 'false', 'data-score': i, text: i, onclick: function (event) {
          score = Number(event.target.dataset.score);
          scale.childNodes.forEach(function (other) { other.setAttribute('aria-checked', other === event.target); });
        } }));
        var comment = field('textarea', t('engage.comment'), {});
        parts.push(form('nps', t('engage.survey'), [el('p', { text: question }), scale, ends(t('engage.nps_low'), t('engage.nps_high')), comment], t('engage.send'), function (sent) {
          if (score === null) return Promise.resolve(sent.textContent = t('engage.nps_pick'));
          return act('/surveys/nps', { score: score, comment: comment.value }, earned, sent);
        }));
      }
      e.surveys.forEach(function (survey) {
        var answers = {};
        parts.push(form('survey-' + survey.id, survey.title + ' · +' + t('launcher.cost', { count: survey.points }), survey.questions.reduce(function (fields, q) {
          answers[q.id] = 5;
          return fields.concat(el('p', { text: q.label }), el('input', { type: 'range', max: 10, value: 5, 'aria-label': q.label, oninput: function (event) { answers[q.id] = Number(event.target.value); } }), ends(q.low, q.high));
        }, []), t('engage.send'), function (sent) { return act('/surveys/' + survey.id, { answers: answers }, earned, sent); }));
      });
      parts.push(section(t('engage.badges'), e.badges.map(function (badge) {
        return el('li', { 'data-badge': badge.id, 'data-earned': badge.earned }, [el('span', { text: (badge.earned ? '★ ' : '☆ ') + badge.name }), muted(badge.earned ? t('engage.badge_earned', { date: date(badge.earnedAt) }) : badge.points ? '+' + badge.points.toLocaleString(lang) : '')]);
      }).concat(e.challenges.filter(function (c) { return c.active || c.completed; }).map(function (c) {
        var label = c.completed ? '✓ ' + t('engage.done') : t('engage.challenge', { count: c.progress, total: c.orders, date: date(c.endsAt), points: c.points });
        return el('li', { 'data-challenge': c.id }, [el('span', { text: c.name }), el('progress', { max: c.orders, value: c.progress, 'aria-label': label }), muted(label)]);
      }))));
      var balance = view.points.balance;
      var amount = t('engage.amount');
      if (e.causes.length && balance > 0) {
        var cause = el('select', { 'aria-label': t('engage.donate_title') }, e.causes.map(function (c) { return el('option', { value: c.id, text: c.name }); }));
        var given = field('input', amount, { type: 'number', min: 1, max: balance });
        var donateKey = key();
        parts.push(form('donate', t('engage.donate_title'), [cause, given], t('engage.donate'), function (sent) {
          var points = Number(given.value);
          var name = cause.options[cause.selectedIndex].text;
          return act('/donations', { causeId: cause.value, points: points, requestKey: donateKey }, function () { return t('engage.donated', { points: points, cause: name }); }, sent);
        }));
      }
      var limits = e.transfers;
      if (limits.enabled) {
        var to = field('input', t('engage.to'), { inputmode: 'numeric' });
        var moved = field('input', amount, { type: 'number', min: limits.minPoints, max: Math.min(limits.maxPerTransfer, balance) });
        var sendKey = key();
        parts.push(form('transfer', t('engage.transfer_title'), [el('p', { class: 'tally__muted', text: t('engage.member', { id: view.customerId }) }), to, moved], t('engage.send'), function (sent) {
          var points = Number(moved.value);
          return act('/transfers', { toCustomerId: to.value.trim(), points: points, requestKey: sendKey }, function () { return t('engage.sent', { points: points }); }, sent);
        }));
      }
      parts.forEach(function (part) { if (part) box.appendChild(part); });
    }, function () {});
    return box;
  }
  function toggle() {
    var button = root.querySelector('.tally__button');
    var open = panel.hidden;
    panel.hidden = !open;
    flash = '';
    button.setAttribute('aria-expanded', String(open));
    if (open) load().then(render, function () { panel.textContent = t('launcher.error'); });
  }

  // ?tally_ref=CODE, kept 30 days, rides the cart attribute tally_referral into the order's note_attributes.
  (function () {
    var code = new URLSearchParams(location.search).get('tally_ref');
    var kept = null;
    try {
      if (code && /^[\w-]{1,40}$/.test(code)) localStorage.setItem('tally_ref', JSON.stringify({ code: code.toUpperCase(), at: Date.now() }));
      kept = JSON.parse(localStorage.getItem('tally_ref'));
    } catch (error) {
      kept = code ? { code: code.toUpperCase(), at: Date.now() } : null;
    }
    if (!kept || Date.now() - kept.at > 30 * 864e5 || config.referral === kept.code) return;
    json(config.root + '/cart/update.js', { method: 'POST', body: JSON.stringify({ attributes: { tally_referral: kept.code } }) }).catch(function () {});
  })();
  allowLanguages(config.languages);
  earnLines();
  document.addEventListener('input', function (event) { if (event.target.name === 'quantity') earnLines(); });
  if (root) root.querySelector('.tally__button').addEventListener('click', toggle);
  if (viewer && viewer.customer) load().then(show, function () { if (accountBody) accountBody.textContent = t('launcher.error'); });
  var cartSlider = document.querySelector('[data-tally-slider]');
  if (cartSlider) slider(cartSlider, Number(cartSlider.dataset.cartTotal) || 0, cartSlider.dataset.hold);
})();
