// Filter and sort the data table of a table page. The rows are already in the page, so this
// only hides and reorders them: the page works from file:// and without this script.
(() => {
  "use strict";
  const table = document.querySelector("table.data");
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  // What a row matches: its shown text and its raw values (`partner_events` as well as the
  // words "Partner events" it is shown as).
  const texts = rows.map((row) =>
    [row.textContent, ...Array.from(row.cells, (cell) => cell.dataset.value || "")]
      .join(" ")
      .toLowerCase(),
  );
  const search = document.getElementById("filter");
  const selects = Array.from(document.querySelectorAll("select[data-column]"));
  const count = document.getElementById("row-count");
  const reset = document.getElementById("reset");
  const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

  function apply() {
    const needle = search.value.trim().toLowerCase();
    const chosen = selects
      .filter((select) => select.value !== "")
      .map((select) => [Number(select.dataset.column), select.value]);
    let shown = 0;
    rows.forEach((row, index) => {
      const keep =
        (needle === "" || texts[index].includes(needle)) &&
        chosen.every(([column, value]) => row.cells[column].dataset.value === value);
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    count.textContent = `Showing ${shown} of ${rows.length} rows`;
    reset.hidden = needle === "" && chosen.length === 0;
  }

  function sortBy(header, column) {
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach((th) => th.removeAttribute("aria-sort"));
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const sorted = rows.slice().sort((a, b) => {
      const x = a.cells[column].textContent;
      const y = b.cells[column].textContent;
      if (x === "" || y === "") return (x === "") - (y === ""); // empty cells last
      return ascending ? collator.compare(x, y) : collator.compare(y, x);
    });
    body.append(...sorted);
  }

  search.addEventListener("input", apply);
  selects.forEach((select) => select.addEventListener("change", apply));
  reset.addEventListener("click", () => {
    search.value = "";
    selects.forEach((select) => { select.value = ""; });
    apply();
  });
  table.querySelectorAll("thead th").forEach((header, column) => {
    header.querySelector("button").addEventListener("click", () => sortBy(header, column));
  });
  apply();
})();
