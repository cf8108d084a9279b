/*
 * Linking the shopper's accounts across a program group (docs/groups.md), on the customer account
 * page: part of the panel, which that page loads. One small request (GET /apps/loyalty/group) tells
 * whether the shop is in a group; outside one nothing is shown. Only the shopper links accounts: a
 * code shown to them here, signed in, is entered at the other shop signed in there.
 */
export function programGroup(core, el) {
  var box = document.querySelector('[data-tally-group]');
  if (!box || box.dataset.ready) return;
  box.dataset.ready = '1';
  var t = core.t;
  var proxy = core.config.proxy + '/group';

  function call(path, method, body) {
    return core.json(proxy + path, { method: method || 'GET', body: body && JSON.stringify(body) });
  }
  // A button that runs once at a time and shows what went wrong in `note`.
  function button(label, note, run, primary) {
    var node = el('button', { type: 'button', class: primary ? 'tally__cta' : 'tally__link', text: label });
    node.addEventListener('click', function () {
      node.disabled = true;
      note.textContent = '';
      run()
        .catch(function (error) {
          note.className = 'tally__error';
          note.textContent = error.message;
        })
        .then(function () {
          node.disabled = false;
        });
    });
    return node;
  }
  // Linked or not, the balance the rest of the page shows changes: read it all again.
  function reload() {
    location.reload();
  }

  function render(group) {
    box.textContent = '';
    if (!group) return;
    var rows = group.shops.map(function (other) {
      if (other.linked) return el('p', { 'data-tally-shop': other.shop, text: t('group.linked', { shop: other.shop }) });
      var note = el('p', { class: 'tally__muted', role: 'status' });
      var label = t('group.enter', { shop: other.shop });
      var code = el('input', { autocomplete: 'one-time-code', maxlength: '20', 'aria-label': label, placeholder: label });
      var getCode = button(t('group.get_code'), note, function () {
        return call('/codes', 'POST', { shop: other.shop }).then(function (issued) {
          note.className = 'tally__muted';
          note.appendChild(el('strong', {}, [el('code', { 'data-tally-link-code': '', text: issued.code })]));
          note.appendChild(document.createTextNode(' ' + t('group.code', { shop: other.shop })));
        });
      });
      var link = button(
        t('group.link'),
        note,
        function () {
          return call('/links', 'POST', { code: code.value }).then(reload);
        },
        true,
      );
      return el('div', { 'data-tally-shop': other.shop }, [
        el('p', {}, [el('span', { text: t('group.unlinked', { shop: other.shop }) + ' ' }), getCode]),
        el('p', { class: 'tally__actions' }, [code, link]),
        note,
      ]);
    });
    var note = el('p', { class: 'tally__error', role: 'alert' });
    box.appendChild(el('h3', { text: t('group.title') }));
    rows.forEach(function (row) {
      box.appendChild(row);
    });
    if (
      group.shops.some(function (other) {
        return other.linked;
      })
    )
      box.appendChild(
        button(t('group.stop'), note, function () {
          return call('/links', 'DELETE').then(reload);
        }),
      );
    box.appendChild(note);
  }
  call('').then(
    function (answer) {
      render(answer.group);
    },
    function () {},
  );
}
