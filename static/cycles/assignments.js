// The assignment matrix (cycles/cycle_assignments.html), on top of a page that works
// without it: live counts per indicator and per OPD, arrow keys between the boxes (Tab
// enters the matrix once and leaves it), the aspect filter without a reload when every row
// is on the page, and a warning before leaving ticks not saved.
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("matriks");
    if (!form) return;
    var table = form.querySelector("table.matrix");
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th.opd"));
    var rows = Array.prototype.slice.call(table.querySelectorAll("tr.ind-row"));
    var status = document.getElementById("matriks-status");
    var boxes = Array.prototype.slice.call(table.querySelectorAll("input[type=checkbox]:not(:disabled)"));
    var dirty = false;

    function shown(row) { return !row.parentNode.hidden; }

    function recount() {
      var perColumn = heads.map(function (head) {
        return Number(head.querySelector(".col-count").dataset.outside || 0);
      });
      var empty = 0;
      rows.forEach(function (row) {
        var ticked = 0;
        row.querySelectorAll("input[type=checkbox]").forEach(function (box, i) {
          if (box.checked) { ticked += 1; perColumn[i] += 1; }
        });
        row.querySelector(".row-count").textContent = ticked;
        row.classList.toggle("row-warn", ticked === 0);
        if (ticked === 0 && shown(row)) empty += 1;
      });
      heads.forEach(function (head, i) {
        var count = head.querySelector(".col-count");
        count.textContent = perColumn[i];
        count.classList.toggle("zero", perColumn[i] === 0);
      });
      if (status) {
        var text = empty ? status.dataset.empty.replace("__N__", empty) : status.dataset.full;
        status.textContent = text + (dirty ? " " + status.dataset.unsaved : "");
      }
    }

    // One box in the Tab order (the last one used); the arrows move between boxes.
    function makeCurrent(box) {
      boxes.forEach(function (other) { other.tabIndex = other === box ? 0 : -1; });
    }
    function move(box, dRow, dCol) {
      var cell = box.closest("td");
      var row = cell.parentNode;
      var col = Array.prototype.indexOf.call(row.querySelectorAll("td"), cell);
      var target = null;
      if (dCol) {
        var cells = row.querySelectorAll("td");
        var next = cells[col + dCol];
        target = next && next.querySelector("input");
      } else {
        var visible = rows.filter(shown);
        var nextRow = visible[visible.indexOf(row) + dRow];
        target = nextRow && nextRow.querySelectorAll("td")[col].querySelector("input");
      }
      if (target && !target.disabled) {
        makeCurrent(target);
        target.focus();
        target.closest("td").scrollIntoView({ block: "nearest", inline: "nearest" });
      }
    }
    var keys = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    table.addEventListener("keydown", function (event) {
      var step = keys[event.key];
      if (!step || event.target.type !== "checkbox") return;
      event.preventDefault();
      move(event.target, step[0], step[1]);
    });
    table.addEventListener("focusin", function (event) {
      if (event.target.type === "checkbox") makeCurrent(event.target);
    });
    table.addEventListener("change", function () { dirty = true; recount(); });
    if (boxes.length && window.matchMedia("(min-width: 721px)").matches) makeCurrent(boxes[0]);

    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });

    // The aspect filter: hide the other aspects when every row is on the page.
    var filter = document.getElementById("saring");
    if (filter && form.dataset.all === "1") {
      var select = filter.querySelector("select[name=aspek]");
      filter.querySelector("button").hidden = true;
      var apply = function () {
        table.querySelectorAll("tbody[data-aspect]").forEach(function (group) {
          group.hidden = Boolean(select.value) && group.dataset.aspect !== select.value;
        });
        form.querySelector("input[name=aspek]").value = select.value;
        var url = new URL(window.location.href);
        if (select.value) url.searchParams.set("aspek", select.value);
        else url.searchParams.delete("aspek");
        window.history.replaceState(null, "", url);
        recount();
      };
      select.addEventListener("change", apply);
    } else if (filter) {
      filter.querySelector("button").hidden = true;
      filter.querySelector("select[name=aspek]").addEventListener("change", function () {
        filter.submit();
      });
    }
    recount();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
