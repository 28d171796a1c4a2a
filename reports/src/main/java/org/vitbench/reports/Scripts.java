package org.vitbench.reports;

/**
 * The report's only script, inline: it sorts the leaderboard by a clicked column (best first, a
 * second click reverses; text columns alphabetically) and adds a family filter above it when the
 * methods have families. It reads only the table's own attributes ({@code data-sort} on headers,
 * {@code data-v} on cells, {@code data-family} on rows), requests nothing, and the page reads in
 * full without it: the table is already ordered by average rank.
 */
final class Scripts {

    /** Sorting and filtering of the table {@code #board}. */
    static final String BOARD = """
            (function () {
              var table = document.getElementById('board');
              if (!table) { return; }
              var body = table.tBodies[0];
              var heads = table.tHead.rows[0].cells;
              function key(row, i) {
                var cell = row.cells[i];
                if (i === 0) { return cell.firstChild.textContent; }
                var v = cell.getAttribute('data-v');
                return v === null ? null : parseFloat(v);
              }
              Array.prototype.forEach.call(heads, function (th, i) {
                var kind = th.getAttribute('data-sort');
                if (!kind) { return; }
                th.tabIndex = 0;
                th.classList.add('sortable');
                var activate = function () {
                  var bestFirst = th.getAttribute('aria-sort') === null || th.getAttribute('aria-sort') === 'none'
                      || th.getAttribute('data-order') === 'reversed';
                  var sign = kind === 'high' ? -1 : 1;
                  if (!bestFirst) { sign = -sign; }
                  var rows = Array.prototype.slice.call(body.rows);
                  rows.sort(function (a, b) {
                    var x = key(a, i), y = key(b, i);
                    if (x === null || y === null) { return x === null ? (y === null ? 0 : 1) : -1; }
                    if (kind === 'text') { return sign * x.localeCompare(y); }
                    return sign * (x - y);
                  });
                  rows.forEach(function (r) { body.appendChild(r); });
                  Array.prototype.forEach.call(heads, function (h) {
                    h.removeAttribute('aria-sort');
                    h.removeAttribute('data-order');
                  });
                  th.setAttribute('aria-sort', sign > 0 ? 'ascending' : 'descending');
                  th.setAttribute('data-order', bestFirst ? 'best' : 'reversed');
                };
                th.addEventListener('click', activate);
                th.addEventListener('keydown', function (e) {
                  if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); activate(); }
                });
              });
              var families = [];
              Array.prototype.forEach.call(body.rows, function (r) {
                var f = r.getAttribute('data-family');
                if (f && families.indexOf(f) < 0) { families.push(f); }
              });
              if (families.length < 2) { return; }
              families.sort();
              var label = document.createElement('label');
              label.className = 'filter';
              label.textContent = 'family ';
              var select = document.createElement('select');
              select.id = 'family';
              ['all'].concat(families).forEach(function (f) {
                var o = document.createElement('option');
                o.value = f;
                o.textContent = f;
                select.appendChild(o);
              });
              select.addEventListener('change', function () {
                Array.prototype.forEach.call(body.rows, function (r) {
                  r.hidden = select.value !== 'all' && r.getAttribute('data-family') !== select.value;
                });
              });
              label.appendChild(select);
              table.parentNode.parentNode.insertBefore(label, table.parentNode);
            })();
            """;

    private Scripts() {
    }
}
