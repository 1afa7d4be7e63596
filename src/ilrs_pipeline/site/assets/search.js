// Search every record of the site from the box in the header. The index (search-index.js) is
// written at build time, so nothing is fetched and the search works from file:// too.
(() => {
  "use strict";
  const input = document.getElementById("site-search");
  const list = document.getElementById("site-search-results");
  const status = document.getElementById("site-search-status");
  const index = window.ILRS_SEARCH || [];
  if (!input || !list) return;
  const base = document.body.dataset.base || "";
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const haystacks = index.map((item) => fold(`${item.n} ${item.k} ${item.w}`));
  const names = index.map((item) => fold(item.n));
  const LIMIT = 12;

  function show() {
    const words = fold(input.value).split(/\s+/).filter(Boolean);
    list.replaceChildren();
    if (words.length === 0) {
      list.hidden = true;
      status.textContent = "";
      return;
    }
    const found = [];
    haystacks.forEach((text, i) => {
      if (words.every((word) => text.includes(word))) {
        // Names that start with the first word come first.
        found.push([names[i].startsWith(words[0]) ? 0 : names[i].includes(words[0]) ? 1 : 2, i]);
      }
    });
    found.sort((a, b) => a[0] - b[0] || index[a[1]].n.localeCompare(index[b[1]].n));
    found.slice(0, LIMIT).forEach(([, i]) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = base + index[i].u;
      link.textContent = index[i].n;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = index[i].k;
      link.append(" ", kind);
      item.append(link);
      list.append(item);
    });
    if (found.length === 0) {
      const item = document.createElement("li");
      item.className = "none";
      item.textContent = "No record matches.";
      list.append(item);
    } else if (found.length > LIMIT) {
      const item = document.createElement("li");
      item.className = "none";
      item.textContent = `${found.length - LIMIT} more: type more words to narrow.`;
      list.append(item);
    }
    list.hidden = false;
    status.textContent = `${found.length} ${found.length === 1 ? "record matches" : "records match"}`;
  }

  function links() {
    return Array.from(list.querySelectorAll("a"));
  }

  input.addEventListener("input", show);
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    } else if (event.key === "Escape") {
      input.value = "";
      show();
    } else if (event.key === "Enter" && links().length) {
      event.preventDefault();
      links()[0].click();
    }
  });
  list.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < all.length - 1) {
      event.preventDefault();
      all[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? all[at - 1] : input).focus();
    } else if (event.key === "Escape") {
      input.focus();
      input.value = "";
      show();
    }
  });
})();
