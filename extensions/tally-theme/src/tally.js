/* global TALLY_EN_CORE */
import { formatNumber } from './tally-number.js';

/*
 * Tally's storefront core: the balance on the launcher button, "earn N points" lines, the referral
 * code and readable colours. Everything else (rewards, redemption, engagement, history, the checkout
 * slider) is tally-panel.js, fetched when the shopper opens the launcher or a block on the page needs
 * it; the browser caches both.
 *
 * The blocks' loader (snippets/tally-loader.liquid) adds this script once the page has loaded and
 * painted, so it costs the first view nothing; what the first view shows (the button, the earn lines
 * in the storefront's language) is rendered by Liquid. What is left to do here is kept off the
 * main thread's busy moments: nothing reads layout, and the colours and the referral wait for idle time.
 */
(function () {
  var tally = (window.Tally = window.Tally || {});
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();

  function start() {
    var configTag = document.querySelector('[data-tally-config]');
    if (tally.t || !configTag) return;
    // English for what the core shows by itself (picked from locales/en.default.json at build); tally-panel.js brings the rest.
    tally.EN = TALLY_EN_CORE;
    var config = JSON.parse(configTag.textContent);
    // Each block hands over the strings it needs (the launcher and the account block all of them): together, the page's.
    var strings = {};
    document.querySelectorAll('[data-tally-i18n]').forEach(function (tag) {
      Object.assign(strings, JSON.parse(tag.textContent));
    });
    var text = strings;
    var lang = config.lang || 'en';
    var pointsName = config.pointsName || 'points';
    var root = document.getElementById('tally-launcher');
    var panel = root && root.querySelector('.tally__panel');
    var button = root && root.querySelector('.tally__button');
    var viewer = (root || document.querySelector('[data-tally-account]') || { dataset: {} }).dataset;
    var loaded, panelReady;

    // The merchant's languages: the widget speaks English where the storefront's language is not one of them.
    function allowLanguages(languages) {
      var next = !languages || languages.indexOf(config.lang) >= 0 ? strings : null;
      if (next === text) return;
      text = next;
      lang = text ? config.lang : 'en';
      document.querySelectorAll('[data-tally-text]').forEach(function (node) {
        node.textContent = t(node.dataset.tallyText);
      });
      earnLines();
    }
    // "1 point", not "1 points": a name right after a count of one takes the default name's singular.
    function t(key, values) {
      values = values || {};
      return String((text && text[key]) || tally.EN[key] || key)
        .replace(/(\{\{\s*(count|points)\s*\}\}\s+)\{\{\s*name\s*\}\}/g, function (match, lead, count) {
          return values[count] === 1 && pointsName === 'points' ? lead + 'point' : match;
        })
        .replace(/\{\{\s*(\w+)\s*\}\}/g, function (match, name) {
          if (!(name in values)) return name === 'name' ? pointsName : match;
          return typeof values[name] === 'number' ? formatNumber(values[name], lang) : values[name];
        });
    }
    function json(url, init) {
      return fetch(
        url,
        Object.assign({ credentials: 'same-origin', headers: { 'Content-Type': 'application/json', Accept: 'application/json' } }, init),
      ).then(function (response) {
        if (response.status === 204) return null;
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.message || t('launcher.error'));
          return body;
        });
      });
    }
    // Keyed by viewer (a cached guest view is never a signed-in shopper's) and by the program's
    // version (a program saved since is never read from the browser's cache).
    function load(fresh) {
      if (fresh || !loaded) {
        loaded = json(
          config.proxy + '/customer?viewer=' + encodeURIComponent(viewer.customer || 'guest') + '&v=' + encodeURIComponent(config.version || 0),
        ).then(function (view) {
          tally.view = view;
          pointsName = view.program.pointsName;
          allowLanguages(view.program.widget.languages);
          label();
          return view;
        });
        loaded.catch(function () {
          loaded = null;
        });
      }
      return loaded;
    }
    // The button grows from its fixed edge (its styles); its contents are drawn afresh, since the star
    // moving over with a longer label would count as a layout shift and new nodes do not.
    function label() {
      var points = tally.view && tally.view.points;
      if (!button || !points) return;
      var fresh = [].map.call(button.childNodes, function (node) {
        return node.cloneNode(true);
      });
      button.replaceChildren.apply(button, fresh);
      button.querySelector('.tally__label').textContent = t('launcher.balance', { count: points.balance });
    }

    // "Earn N points": per unit on a product page (following the quantity field), for the cart as a whole.
    function earnLines() {
      document.querySelectorAll('[data-tally-earn]').forEach(function (line) {
        var quantity = 1;
        if (line.hasAttribute('data-per-unit')) {
          var field = document.querySelector('form[action$="/cart/add"] [name=quantity]');
          quantity = Math.max(1, Math.floor(Number(field && field.value) || 1));
        }
        var points = Math.floor((Number(line.dataset.amount) * quantity * Number(line.dataset.rate)) / Number(line.dataset.unit));
        var said = t(line.dataset.tallyEarn.replace(/^tally\./, ''), { points: points });
        // Liquid rendered the same line: rewriting it unchanged would only cost the page a layout.
        if (line.hidden !== points <= 0) line.hidden = points <= 0;
        if (line.textContent !== said) line.textContent = said;
      });
    }

    // WCAG contrast: whatever colours the merchant picks, text keeps 4.5:1 against what is behind it.
    function rgb(colour) {
      var parts = (colour.match(/[\d.]+/g) || []).map(Number);
      return parts.length > 3 && parts[3] === 0 ? null : parts.slice(0, 3);
    }
    function luminance(colour) {
      return colour.reduce(function (sum, value, index) {
        value /= 255;
        return sum + [0.2126, 0.7152, 0.0722][index] * (value <= 0.03928 ? value / 12.92 : Math.pow((value + 0.055) / 1.055, 2.4));
      }, 0);
    }
    function contrast(a, b) {
      var x = luminance(a) + 0.05,
        y = luminance(b) + 0.05;
      return x > y ? x / y : y / x;
    }
    function readable(colour, behind) {
      var toward = contrast(behind, [0, 0, 0]) > contrast(behind, [255, 255, 255]) ? 0 : 255;
      for (var step = 0; contrast(colour, behind) < 4.5 && step < 30; step++)
        colour = colour.map(function (value) {
          return Math.round(value + (toward - value) * 0.15);
        });
      return 'rgb(' + colour.join(',') + ')';
    }
    function background(node) {
      for (; node && node.nodeType === 1; node = node.parentNode) {
        var colour = rgb(getComputedStyle(node).backgroundColor);
        if (colour) return colour;
      }
      return [255, 255, 255];
    }
    function readableColours() {
      document.querySelectorAll('.tally-earn').forEach(function (line) {
        line.style.color = readable(rgb(getComputedStyle(line).color), background(line.parentNode));
      });
      var primary = (button && rgb(getComputedStyle(button).backgroundColor)) || [31, 111, 235];
      // Links in the account and cart blocks sit on the theme's background; the panel's on white.
      document.querySelectorAll('.tally-account, .tally-block').forEach(function (block) {
        block.style.setProperty('--tally-link', readable(primary, background(block)));
      });
      if (!button) return;
      var ink = rgb(getComputedStyle(button).color);
      var best = contrast(primary, [0, 0, 0]) > contrast(primary, [255, 255, 255]) ? '#000' : '#fff';
      root.style.setProperty('--tally-on', ink && contrast(ink, primary) >= 4.5 ? 'rgb(' + ink.join(',') + ')' : best);
      root.style.setProperty('--tally-link', readable(primary, [255, 255, 255]));
    }

    // The panel asset and its styles, fetched once: on the first sign of intent or when a block needs them.
    function getPanel() {
      if (!panelReady) {
        var style = document.createElement('link');
        style.rel = 'stylesheet';
        style.href = config.panelCss;
        panelReady = Promise.all([
          new Promise(function (resolve, reject) {
            tally.define = resolve;
            var script = document.createElement('script');
            script.src = config.panel;
            script.onerror = reject;
            document.head.appendChild(script);
          }),
          new Promise(function (resolve) {
            style.onload = style.onerror = resolve;
            document.head.appendChild(style);
          }),
        ]).then(function (both) {
          return both[0](tally);
        });
        panelReady.catch(function () {
          panelReady = null;
        });
      }
      return panelReady;
    }
    function preload() {
      getPanel().catch(function () {});
      load().catch(function () {});
    }
    function heading() {
      var head = document.createElement('div');
      var title = document.createElement('strong');
      var close = document.createElement('button');
      head.className = 'tally__head';
      title.textContent = t('launcher.title');
      close.type = 'button';
      close.className = 'tally__close';
      close.setAttribute('aria-label', t('launcher.close'));
      close.textContent = '×';
      close.onclick = toggle;
      head.append(title, close);
      return head;
    }
    // Opening paints the panel at once (title, close, balance when known); the rest follows the asset.
    function toggle() {
      var open = panel.hidden;
      panel.hidden = !open;
      button.setAttribute('aria-expanded', String(open));
      if (!open) return button.focus();
      var status = document.createElement('p');
      status.setAttribute('role', 'status');
      status.textContent = tally.view && tally.view.points ? t('launcher.balance', { count: tally.view.points.balance }) : t('account.loading');
      panel.textContent = '';
      panel.append(heading(), status);
      Promise.all([getPanel(), load()]).then(
        function (both) {
          if (!panel.hidden) both[0].render();
        },
        function () {
          status.textContent = t('launcher.error');
        },
      );
    }

    tally.t = t;
    tally.json = json;
    tally.load = load;
    tally.label = label;
    tally.toggle = toggle;
    tally.heading = heading;
    tally.config = config;
    tally.lang = function () {
      return lang;
    };
    tally.root = root;
    tally.panel = panel;
    tally.viewer = viewer;

    // ?tally_ref=CODE, kept 30 days, rides the cart attribute tally_referral into the order's note_attributes.
    function referral() {
      var code = new URLSearchParams(location.search).get('tally_ref');
      var kept = null;
      try {
        if (code && /^[\w-]{1,40}$/.test(code)) localStorage.setItem('tally_ref', JSON.stringify({ code: code.toUpperCase(), at: Date.now() }));
        kept = JSON.parse(localStorage.getItem('tally_ref'));
      } catch (error) {
        kept = code ? { code: code.toUpperCase(), at: Date.now() } : null;
      }
      if (!kept || !/^[\w-]{1,40}$/.test(kept.code) || Date.now() - kept.at > 30 * 864e5 || config.referral === kept.code) return;
      json(config.root + '/cart/update.js', { method: 'POST', body: JSON.stringify({ attributes: { tally_referral: kept.code } }) }).catch(
        function () {},
      );
    }
    allowLanguages(config.languages);
    earnLines();
    document.addEventListener('input', function (event) {
      if (event.target.name === 'quantity') earnLines();
    });
    if (button) {
      button.addEventListener('click', toggle);
      ['pointerenter', 'focus', 'touchstart'].forEach(function (type) {
        button.addEventListener(type, preload, { once: true, passive: true });
      });
      root.addEventListener('keydown', function (event) {
        if (event.key === 'Escape' && !panel.hidden) toggle();
      });
      // The shopper tapped the button before this script was in: the loader kept the tap for us.
      if (tally.opening && panel.hidden) {
        tally.opening = false;
        toggle();
      }
    }
    if (viewer.customer) load().catch(function () {});
    // The account block and the cart's points slider are panel features: the page needs the panel now.
    if (document.querySelector('[data-tally-account], [data-tally-slider]'))
      getPanel().then(
        function (panelApi) {
          panelApi.mount();
        },
        function () {},
      );
    // Neither changes what the shopper sees first: both wait for the browser to be idle. The colours
    // are read before anything here has changed the page, so reading them forces no style work.
    idle(function () {
      readableColours();
      referral();
    });
  }

  function idle(task) {
    if (window.requestIdleCallback) requestIdleCallback(task, { timeout: 2000 });
    else setTimeout(task, 200);
  }
})();
