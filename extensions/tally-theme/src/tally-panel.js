/* global Tally, TALLY_EN */
import { programGroup } from './tally-group.js';
import { formatNumber } from './tally-number.js';

/*
 * Tally's panel: rewards and redemption, codes, ways to earn, engagement, history, tiers and the
 * checkout slider. tally.js (the core) fetches this file when the shopper opens the launcher or
 * when the account block or the cart's slider is on the page, then calls `mount` or `render`.
 */
Tally.define(function (core) {
  // The default locale (locales/en.default.json, at build): what the widget speaks when the merchant did not choose the storefront's language.
  core.EN = TALLY_EN;
  var t = core.t;
  var json = core.json;
  var config = core.config;
  var root = core.root;
  var panel = core.panel;
  var accountBody = document.querySelector('[data-tally-account-body]');
  // The redemption the shopper just made: shown in place of the reward they chose.
  var outcome = null;
  var HOLD = /^HOLD-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/;
  var NETWORKS = { tiktok: 'TikTok', youtube: 'YouTube', linkedin: 'LinkedIn', x: 'X' };

  function view() {
    return core.view;
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) {
      if (name === 'text') node.textContent = attrs[name];
      else if (name.slice(0, 2) === 'on') node.addEventListener(name.slice(2), attrs[name]);
      else node.setAttribute(name, attrs[name]);
    }
    (children || []).forEach(function (child) {
      if (child) node.appendChild(child);
    });
    return node;
  }
  // `short`: a whole amount without its zero cents ("1 per $1"), as the earning rules read.
  function money(minor, currency, short) {
    var lang = core.lang();
    var format = new Intl.NumberFormat(lang, { style: 'currency', currency: currency });
    var amount = minor / Math.pow(10, format.resolvedOptions().maximumFractionDigits);
    return short && amount % 1 === 0
      ? new Intl.NumberFormat(lang, { style: 'currency', currency: currency, minimumFractionDigits: 0 }).format(amount)
      : format.format(amount);
  }
  function number(value) {
    return formatNumber(value, core.lang());
  }
  function key() {
    return 'r' + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  }
  function date(value) {
    return new Date(value.length === 10 ? value + 'T12:00:00Z' : value).toLocaleDateString(core.lang(), { day: 'numeric', month: 'short' });
  }
  function section(title, items, attrs) {
    return items.length ? el('section', attrs || {}, [el('h3', { text: title }), el('ul', {}, items)]) : null;
  }
  function copyButton(text) {
    var copy = el('button', { type: 'button', class: 'tally__link', text: t('launcher.copy') });
    copy.addEventListener('click', function () {
      if (navigator.clipboard) navigator.clipboard.writeText(text);
      copy.textContent = t('launcher.copied');
    });
    return copy;
  }
  function applyLink(code) {
    return el('a', {
      class: 'tally__link',
      href: config.root + '/discount/' + encodeURIComponent(code) + '?redirect=' + encodeURIComponent(config.root + '/cart'),
      text: t('launcher.apply'),
    });
  }
  function codeRow(code) {
    return el('li', { class: 'tally__code' }, [
      el('code', { text: code.code }),
      el('span', { text: code.rewardName }),
      copyButton(code.code),
      applyLink(code.code),
    ]);
  }
  function wayText(way) {
    var currency = view().program.currency;
    switch (way.kind) {
      case 'purchase':
        return t('ways.purchase', { points: way.points, amount: money(way.amountMinor, currency, true) });
      case 'cash_back':
        return t('ways.cash_back', { percent: way.percent });
      case 'punch_card':
        return t('ways.punch_card', { points: way.points, count: way.every });
      case 'promotion':
        return t('ways.promotion', { title: way.title, multiplier: way.multiplier, date: date(way.until) });
      case 'multiplier':
        return way.tag ? t('ways.tag', { multiplier: way.multiplier, tag: way.tag }) : t('ways.selected', { multiplier: way.multiplier });
      case 'minimum':
        return t('ways.minimum', { amount: money(way.amountMinor, currency, true) });
      default:
        return way.text;
    }
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
      el('span', { class: 'tally__muted tally__when', text: (points > 0 ? '+' : '') + number(points) + ' · ' + date(entry.createdAt) }),
    ]);
  }
  function amountText(metric, remaining) {
    if (metric === 'spend') return money(remaining, view().program.currency);
    return metric === 'orders' ? t('tier.orders', { count: remaining }) : t('launcher.cost', { count: remaining });
  }
  function tierBlock() {
    var v = view();
    var progress = v.tierProgress;
    var next = v.nextTier;
    var nextAt =
      next &&
      progress.tiers.filter(function (tier) {
        return tier.id === next.id;
      })[0];
    var lines = [el('p', { class: 'tally__tier', 'data-tally-tier': v.tier.id, text: t('tier.current', { tier: v.tier.name }) })];
    if (nextAt) {
      var label = t('tier.next', { amount: amountText(progress.metric, next.remaining), tier: next.name });
      lines.push(
        el('progress', {
          max: String(nextAt.threshold),
          value: String(Math.max(0, Math.min(progress.value, nextAt.threshold))),
          'aria-label': label,
        }),
      );
      lines.push(el('p', { class: 'tally__muted', text: label }));
    } else lines.push(el('p', { class: 'tally__muted', text: t('tier.top') }));
    if (progress.keep)
      lines.push(
        el('p', {
          class: 'tally__muted',
          'data-tally-keep': '',
          text: t('tier.keep', {
            amount: amountText(progress.metric, progress.keep.remaining),
            date: date(progress.keep.by),
            tier: progress.keep.name,
          }),
        }),
      );
    if (v.membership.active) lines.push(el('p', { class: 'tally__muted', text: t('tier.member', { date: date(v.membership.until) }) }));
    return el('section', { class: 'tally__tiers' }, lines);
  }
  function costOf(reward) {
    var cost = (view().rewardCosts || {})[reward.id];
    return cost === undefined ? reward.pointsCost : cost;
  }
  // What the shopper can afford first, then the nearest to reach.
  function byReach(rewards) {
    var balance = view().points ? view().points.balance : 0;
    return rewards.slice().sort(function (a, b) {
      return (costOf(a) > balance) - (costOf(b) > balance) || costOf(a) - costOf(b);
    });
  }
  function outcomeBox(reward) {
    var box = el('li', { class: 'tally__outcome', tabindex: '-1', 'data-tally-outcome': reward.id }, [
      el('p', { role: 'status', text: t('launcher.redeemed', { reward: reward.name }) }),
      el('div', { class: 'tally__actions' }, [el('code', { text: outcome.code }), copyButton(outcome.code), applyLink(outcome.code)]),
    ]);
    return box;
  }
  function rewardRow(reward) {
    var p = view().points;
    if (outcome && outcome.rewardId === reward.id) return outcomeBox(reward);
    var row = el('li', { class: 'tally__reward' }, [
      el('span', { class: 'tally__what' }, [
        el('span', { text: reward.name }),
        el('small', { class: 'tally__muted', text: t('launcher.cost', { count: costOf(reward) }) }),
      ]),
    ]);
    if (!p) return row;
    var short = costOf(reward) - p.balance;
    if (short > 0) row.appendChild(el('span', { class: 'tally__muted', text: t('launcher.need_more', { count: short }) }));
    else
      row.appendChild(
        el('button', {
          type: 'button',
          class: 'tally__cta',
          'data-reward': reward.id,
          text: t('launcher.redeem'),
          onclick: function () {
            confirmRedeem(row, reward);
          },
        }),
      );
    return row;
  }
  // Points are spent only after the shopper confirms what they give up and what they get.
  function confirmRedeem(row, reward) {
    var box = el('li', { class: 'tally__confirm', role: 'group' }, [
      el('p', { text: t('launcher.confirm', { count: costOf(reward), reward: reward.name }) }),
    ]);
    var yes = el('button', {
      type: 'button',
      class: 'tally__cta',
      'data-confirm': reward.id,
      text: t('launcher.confirm_yes'),
      onclick: function () {
        redeem(box, reward, yes);
      },
    });
    box.appendChild(
      el('div', { class: 'tally__actions' }, [
        yes,
        el('button', { type: 'button', class: 'tally__link', text: t('launcher.cancel'), onclick: render }),
      ]),
    );
    row.parentNode.replaceChild(box, row);
    yes.focus();
  }
  // The new code appears where the shopper clicked, and takes the focus.
  function redeem(box, reward, button) {
    button.disabled = true;
    json(config.proxy + '/redemptions', { method: 'POST', body: JSON.stringify({ rewardId: reward.id, requestKey: key() }) })
      .then(function (result) {
        outcome = { rewardId: reward.id, code: result.code };
        return core.load(true);
      })
      .then(function () {
        show();
        var shown = document.querySelector('[data-tally-outcome]');
        if (shown) shown.focus();
      })
      .catch(function (error) {
        button.disabled = false;
        box.appendChild(el('p', { role: 'alert', class: 'tally__error', text: error.message || t('launcher.error') }));
      });
  }
  // Every surface (launcher button, panel, account) follows the last view.
  function show() {
    core.label();
    if (panel && !panel.hidden) render();
    if (accountBody) account();
  }
  function render() {
    var v = view();
    var p = v.points;
    panel.textContent = '';
    panel.appendChild(core.heading());
    if (p) {
      panel.appendChild(
        el('p', { class: 'tally__balance', 'data-tally-balance': String(p.balance), text: t('launcher.balance', { count: p.balance }) }),
      );
      if (p.pending) panel.appendChild(el('p', { class: 'tally__muted', text: t('launcher.pending', { count: p.pending }) }));
      if (v.tierProgress && v.tier) panel.appendChild(tierBlock());
    } else {
      panel.appendChild(el('p', { text: t('launcher.guest_intro') }));
      panel.appendChild(
        el('p', {}, [
          el('a', { class: 'tally__cta', href: root.dataset.login, text: t('launcher.sign_in') }),
          document.createTextNode(' '),
          el('a', { class: 'tally__link', href: root.dataset.register, text: t('launcher.sign_up') }),
        ]),
      );
    }
    var codes = v.codes.filter(function (code) {
      return !outcome || code.code !== outcome.code;
    });
    [
      section(t('launcher.rewards'), byReach(v.program.rewards).map(rewardRow), { class: 'tally__rewards' }),
      section(t('launcher.your_codes'), codes.map(codeRow)),
      p && !document.querySelector('[data-tally-slider]') && el('section', { class: 'tally__use' }),
      section(
        t('launcher.ways_to_earn'),
        v.program.waysToEarn.map(function (way) {
          return el('li', { 'data-way': way.kind, text: wayText(way) });
        }),
      ),
      p && engage(el('div', { class: 'tally-engage' })),
    ].forEach(function (part) {
      if (part) panel.appendChild(part);
    });
    var use = panel.querySelector('.tally__use');
    if (use) slider(use, Number(root.dataset.cartTotal) || 0, root.dataset.hold);
  }
  function account() {
    var v = view();
    var box = accountBody.parentNode;
    accountBody.textContent = v.points ? t('launcher.balance', { count: v.points.balance }) : '';
    box.querySelectorAll('.tally__tiers, [data-tally-history], .tally-engage').forEach(function (node) {
      node.remove();
    });
    if (v.tierProgress && v.tier) box.appendChild(tierBlock());
    if (v.points) box.appendChild(engage(el('div', { class: 'tally-engage' })));
    var history = section(t('account.history'), v.history.map(historyRow));
    if (history) box.appendChild(history).setAttribute('data-tally-history', '');
  }
  // Points as a discount at checkout: a hold through the app proxy, named on the cart by the
  // `_tally_hold` attribute (Ajax Cart API), which the Discount Function reads. Anything on the
  // cart that is not a hold id's shape is ignored.
  function slider(box, total, current) {
    if (!HOLD.test(current || '')) current = '';
    json(config.proxy + '/holds').then(
      function (state) {
        var terms = state.terms;
        if (!terms) return;
        var held = state.holds.filter(function (hold) {
          return hold.holdId === current;
        })[0];
        var steps = Math.min(terms.maxSteps, Math.floor((state.balance + (held ? held.points : 0)) / terms.stepPoints));
        if (total) steps = Math.min(steps, Math.floor(total / terms.stepAmount));
        if (steps < terms.minSteps) return;
        var range = el('input', {
          type: 'range',
          min: '0',
          max: String(steps * terms.stepPoints),
          step: String(terms.stepPoints),
          value: String(held ? held.points : 0),
          'aria-label': t('launcher.use_title'),
        });
        var label = el('output', { class: 'tally-slider__value' });
        var note = el('p', { class: 'tally__muted', role: 'status', text: held ? t('launcher.use_held', { count: held.points }) : '' });
        function showValue() {
          var points = Number(range.value);
          if (points && points < terms.minSteps * terms.stepPoints) range.value = points = terms.minSteps * terms.stepPoints;
          label.textContent = points
            ? t('launcher.use_points', { count: points }) + ': −' + money((points / terms.stepPoints) * terms.stepAmount, terms.currency)
            : t('launcher.use_none');
        }
        range.addEventListener('input', showValue);
        var button = el('button', {
          type: 'button',
          class: 'tally__cta',
          text: t('launcher.use_apply'),
          onclick: function () {
            var points = Number(range.value);
            button.disabled = true;
            var release = held
              ? json(config.proxy + '/holds/' + encodeURIComponent(held.holdId), { method: 'DELETE' }).catch(function () {
                  return null;
                })
              : Promise.resolve(null);
            release
              .then(function () {
                held = null;
                if (!points) return { holdId: '' };
                var body = { points: points, requestKey: 'h' + key() };
                if (total) body.cartSubtotal = total;
                return json(config.proxy + '/holds', { method: 'POST', body: JSON.stringify(body) });
              })
              .then(function (hold) {
                held = hold.holdId ? hold : null;
                return json(config.root + '/cart/update.js', { method: 'POST', body: JSON.stringify({ attributes: { _tally_hold: hold.holdId } }) });
              })
              .then(function () {
                note.className = 'tally__muted';
                note.textContent = held ? t('launcher.use_held', { count: held.points }) : t('launcher.use_none');
                if (box.hasAttribute('data-tally-slider')) location.reload();
                else core.load(true);
              })
              .catch(function (error) {
                note.className = 'tally__error';
                note.textContent = error.message || t('launcher.error');
              })
              .then(function () {
                button.disabled = false;
              });
          },
        });
        box.textContent = '';
        box.appendChild(el('div', { class: 'tally-slider' }, [el('strong', { text: t('launcher.use_title') }), range, label, button, note]));
        showValue();
      },
      function () {},
    );
  }
  // Beyond orders: docs/engagement.md.
  var engaged;
  var flash = '';
  function engagement(fresh) {
    if (fresh || !engaged)
      engaged = Promise.all([
        json(config.proxy + '/engagement'),
        json(config.proxy + '/referral').catch(function () {
          return null;
        }),
      ]);
    return engaged;
  }
  function btn(label, run, primary) {
    var button = el('button', { type: 'button', class: primary ? 'tally__cta' : 'tally__link', text: label });
    button.onclick = function () {
      button.disabled = true;
      run().then(function () {
        button.disabled = false;
      });
    };
    return button;
  }
  function act(path, body, thanks, note) {
    return json(config.proxy + path, { method: 'POST', body: JSON.stringify(body) })
      .then(function (result) {
        flash = thanks(result);
        return Promise.all([engagement(true), core.load(true)]).then(show);
      })
      .catch(function (error) {
        note.textContent = error.message || t('launcher.error');
      });
  }
  function earned(result) {
    return t('engage.earned', { points: result.points });
  }
  function muted(text) {
    return el('span', { class: 'tally__muted', text: text });
  }
  function field(tag, label, attrs) {
    attrs['aria-label'] = attrs.placeholder = label;
    return el(tag, attrs);
  }
  function ends(low, high) {
    return el('p', { class: 'tally__muted tally__ends' }, [el('span', { text: low }), el('span', { text: high })]);
  }
  function form(id, title, fields, label, run) {
    var note = el('p', { class: 'tally__error', role: 'alert' });
    return el(
      'section',
      { 'data-tally-form': id },
      [el('h3', { text: title })].concat(fields, [
        btn(
          label,
          function () {
            note.textContent = '';
            return run(note);
          },
          true,
        ),
        note,
      ]),
    );
  }
  function networkName(network) {
    return NETWORKS[network] || network.charAt(0).toUpperCase() + network.slice(1);
  }
  function engage(box) {
    engagement().then(
      function (both) {
        var e = both[0];
        var ref = both[1];
        var a = e.actions;
        var note = el('p', { class: 'tally__error', role: 'alert' });
        var rows = [];
        var done = muted('✓ ' + t('engage.done'));
        function row(id, text, extra) {
          rows.push(el('li', { 'data-action': id }, [el('span', { text: text }), extra]));
        }
        function claim(id, text, claimed, body) {
          row(
            id,
            text,
            claimed
              ? done.cloneNode(true)
              : btn(t('engage.claim'), function () {
                  return act('/actions', body, earned, note);
                }),
          );
        }
        box.textContent = '';
        if (flash) box.appendChild(el('p', { class: 'tally__flash', role: 'status', 'data-tally-flash': '', text: flash }));
        e.offers.forEach(function (o) {
          box.appendChild(
            el('p', {
              class: 'tally__flash',
              'data-tally-offer': o.kind,
              text: t('engage.offer', { title: o.title, points: o.points, date: date(o.expiresAt) }),
            }),
          );
        });
        if (a.birthday.enabled) {
          var birthday = t('engage.birthday', { points: a.birthday.points });
          var day = el('input', { type: 'date', 'aria-label': birthday });
          if (a.birthday.birthday) row('birthday', t('engage.birthday_set', { date: a.birthday.birthday.slice(-5) }));
          else
            row(
              'birthday',
              birthday,
              el('span', { class: 'tally__actions' }, [
                day,
                btn(t('engage.save'), function () {
                  return act(
                    '/actions',
                    { type: 'birthday', birthday: day.value },
                    function (result) {
                      return result.points ? earned(result) : t('engage.birthday_later');
                    },
                    note,
                  );
                }),
              ]),
            );
        }
        if (a.newsletter.enabled)
          claim('newsletter', t('engage.newsletter', { points: a.newsletter.points }), a.newsletter.done, { type: 'newsletter' });
        if (a.socialFollow.enabled)
          a.socialFollow.networks.forEach(function (network) {
            claim(
              'follow-' + network,
              t('engage.follow', { network: networkName(network), points: a.socialFollow.points }),
              a.socialFollow.followed.indexOf(network) >= 0,
              { type: 'social_follow', network: network },
            );
          });
        if (a.review.enabled) row('review', t('engage.review', { points: a.review.points, count: a.review.perMonth }));
        var parts = [section(t('engage.title'), rows)];
        if (rows.length) parts[0].appendChild(note);
        if (ref) {
          // /discount/CODE applies the friend's code, then lands with tally_ref.
          var link =
            location.origin + config.root + '/discount/' + ref.code + '?redirect=' + encodeURIComponent(config.root + '/?tally_ref=' + ref.code);
          var friend = ref.friendDiscount;
          var url = el('input', {
            readonly: '',
            value: link,
            'aria-label': t('engage.refer_title'),
            onfocus: function () {
              url.select();
            },
          });
          var copy = btn(
            t('launcher.copy'),
            function () {
              url.select();
              return Promise.resolve(navigator.clipboard && navigator.clipboard.writeText(link)).then(
                function () {
                  copy.textContent = t('launcher.copied');
                },
                function () {},
              );
            },
            true,
          );
          parts.push(
            el('section', { 'data-tally-referral': ref.code }, [
              el('h3', { text: t('engage.refer_title') }),
              el('p', {
                text: t('engage.refer', {
                  offer: friend.kind === 'percentage_off' ? friend.value + '%' : money(friend.value, view().program.currency, true),
                  points: ref.referrerPoints,
                }),
              }),
              url,
              el('div', { class: 'tally__actions' }, [
                copy,
                navigator.share &&
                  btn(t('engage.share'), function () {
                    return navigator.share({ url: link }).catch(function () {});
                  }),
              ]),
            ]),
          );
        }
        if (e.nps.due) {
          var score = null;
          var question = t('engage.nps', { points: e.nps.points });
          var scale = el('div', { class: 'tally__scale', role: 'radiogroup', 'aria-label': question });
          for (var i = 0; i <= 10; i++)
            scale.appendChild(
              el('button', {
                type: 'button',
                role: 'radio',
                'aria-checked': 'false',
                'data-score': i,
                text: i,
                onclick: function (event) {
                  score = Number(event.target.dataset.score);
                  scale.childNodes.forEach(function (other) {
                    other.setAttribute('aria-checked', other === event.target);
                  });
                },
              }),
            );
          var comment = field('textarea', t('engage.comment'), {});
          parts.push(
            form(
              'nps',
              t('engage.survey'),
              [el('p', { text: question }), scale, ends(t('engage.nps_low'), t('engage.nps_high')), comment],
              t('engage.send'),
              function (sent) {
                if (score === null) return Promise.resolve((sent.textContent = t('engage.nps_pick')));
                return act('/surveys/nps', { score: score, comment: comment.value }, earned, sent);
              },
            ),
          );
        }
        e.surveys.forEach(function (survey) {
          var answers = {};
          parts.push(
            form(
              'survey-' + survey.id,
              survey.title + ' · +' + t('launcher.cost', { count: survey.points }),
              survey.questions.reduce(function (fields, q) {
                answers[q.id] = 5;
                return fields.concat(
                  el('p', { text: q.label }),
                  el('input', {
                    type: 'range',
                    max: 10,
                    value: 5,
                    'aria-label': q.label,
                    oninput: function (event) {
                      answers[q.id] = Number(event.target.value);
                    },
                  }),
                  ends(q.low, q.high),
                );
              }, []),
              t('engage.send'),
              function (sent) {
                return act('/surveys/' + survey.id, { answers: answers }, earned, sent);
              },
            ),
          );
        });
        parts.push(
          section(
            t('engage.badges'),
            e.badges
              .map(function (badge) {
                return el('li', { 'data-badge': badge.id, 'data-earned': badge.earned }, [
                  el('span', { text: (badge.earned ? '★ ' : '☆ ') + badge.name }),
                  muted(badge.earned ? t('engage.badge_earned', { date: date(badge.earnedAt) }) : badge.points ? '+' + number(badge.points) : ''),
                ]);
              })
              .concat(
                e.challenges
                  .filter(function (c) {
                    return c.active || c.completed;
                  })
                  .map(function (c) {
                    var label = c.completed
                      ? '✓ ' + t('engage.done')
                      : t('engage.challenge', { count: c.progress, total: c.orders, date: date(c.endsAt), points: c.points });
                    return el('li', { 'data-challenge': c.id }, [
                      el('span', { text: c.name }),
                      el('progress', { max: c.orders, value: c.progress, 'aria-label': label }),
                      muted(label),
                    ]);
                  }),
              ),
          ),
        );
        var balance = view().points.balance;
        var amount = t('engage.amount');
        if (e.causes.length && balance > 0) {
          var cause = el(
            'select',
            { 'aria-label': t('engage.donate_title') },
            e.causes.map(function (c) {
              return el('option', { value: c.id, text: c.name });
            }),
          );
          var given = field('input', amount, { type: 'number', min: 1, max: balance });
          var donateKey = key();
          parts.push(
            form('donate', t('engage.donate_title'), [cause, given], t('engage.donate'), function (sent) {
              var points = Number(given.value);
              var name = cause.options[cause.selectedIndex].text;
              return act(
                '/donations',
                { causeId: cause.value, points: points, requestKey: donateKey },
                function () {
                  return t('engage.donated', { points: points, cause: name });
                },
                sent,
              );
            }),
          );
        }
        var limits = e.transfers;
        if (limits.enabled) {
          var to = field('input', t('engage.to'), { inputmode: 'numeric' });
          var moved = field('input', amount, { type: 'number', min: limits.minPoints, max: Math.min(limits.maxPerTransfer, balance) });
          var sendKey = key();
          parts.push(
            form(
              'transfer',
              t('engage.transfer_title'),
              [el('p', { class: 'tally__muted', text: t('engage.member', { id: view().customerId }) }), to, moved],
              t('engage.send'),
              function (sent) {
                var points = Number(moved.value);
                return act(
                  '/transfers',
                  { toCustomerId: to.value.trim(), points: points, requestKey: sendKey },
                  function () {
                    return t('engage.sent', { points: points });
                  },
                  sent,
                );
              },
            ),
          );
        }
        parts.forEach(function (part) {
          if (part) box.appendChild(part);
        });
      },
      function () {},
    );
    return box;
  }

  return {
    render: function () {
      outcome = null;
      flash = '';
      render();
    },
    // The account block and the cart's slider, once the view is known.
    mount: function () {
      var cartSlider = document.querySelector('[data-tally-slider]');
      if (cartSlider) slider(cartSlider, Number(cartSlider.dataset.cartTotal) || 0, cartSlider.dataset.hold);
      if (!accountBody) return;
      programGroup(core, el);
      core.load().then(account, function () {
        accountBody.textContent = t('launcher.error');
      });
    },
  };
});
