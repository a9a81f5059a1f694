/* Shouwen (首问) clerk panel: suggestions as the clerk types, the card for a chosen matter or 情形,
 * the print button, and the matter search of the gaps review. The server sends HTML fragments that
 * it has already escaped; this file only places them. No framework, no inline script (CSP). */
(function () {
  "use strict";

  var DEBOUNCE_MS = 250;

  function $(sel, root) {
    return (root || document).querySelector(sel);
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (r.status === 401) {
        window.location.href = "/clerk/login?next=" + encodeURIComponent(location.pathname + location.search);
        throw new Error("login required");
      }
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  // ---- suggestion panel (/clerk) ---------------------------------------------------------------
  function initPanel() {
    var box = $("#question");
    if (!box) return;
    var out = {
      cands: $("#cands"),
      card: $("#card"),
      referral: $("#referral"),
      packages: $("#packages"),
      status: $("#suggest-status"),
    };
    var timer = null;
    var seq = 0;
    var lastQ = null;

    function show(data) {
      out.cands.innerHTML = data.candidates_html || "";
      out.referral.innerHTML = data.referral_html || "";
      out.packages.innerHTML = data.packages_html || "";
      if (data.card_html) out.card.innerHTML = data.card_html;
      else if (!data.keep_card) out.card.innerHTML = '<p class="placeholder">在左侧输入群众的问题，这里显示办事指南。</p>';
      out.status.textContent = data.status || "";
      var ticket = $("#ticket-link");
      if (ticket) ticket.href = "/clerk/tickets/new?q=" + encodeURIComponent(box.value.slice(0, 500));
    }

    function suggest() {
      var q = box.value.trim();
      if (q === lastQ) return;
      lastQ = q;
      var mine = ++seq;
      if (!q) {
        show({ status: "" });
        return;
      }
      out.status.textContent = "正在查找…";
      getJson("/clerk/api/suggest?q=" + encodeURIComponent(q))
        .then(function (data) {
          if (mine === seq) show(data);
        })
        .catch(function () {
          if (mine === seq) out.status.textContent = "暂时查不到，请稍后再试。";
        });
    }

    function choose(matter, kase) {
      var q = box.value.trim();
      var mine = ++seq;
      out.card.classList.add("loading");
      getJson(
        "/clerk/api/card?matter=" + encodeURIComponent(matter) + "&case=" + encodeURIComponent(kase || "") +
          "&q=" + encodeURIComponent(q)
      )
        .then(function (data) {
          if (mine !== seq) return;
          out.card.innerHTML = data.card_html;
          if (data.packages_html !== undefined) out.packages.innerHTML = data.packages_html;
          Array.prototype.forEach.call(document.querySelectorAll(".cand"), function (b) {
            b.classList.toggle("on", b.getAttribute("data-matter") === matter);
          });
          out.card.focus();
        })
        .catch(function () {
          out.status.textContent = "办事指南加载失败，请重试。";
        })
        .then(function () {
          out.card.classList.remove("loading");
        });
    }

    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, DEBOUNCE_MS);
    });
    document.addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest("[data-matter]");
      if (!b || b.tagName !== "BUTTON") return;
      e.preventDefault();
      choose(b.getAttribute("data-matter"), b.getAttribute("data-case"));
    });
    if (box.value.trim()) suggest();
  }

  // ---- gaps review (/clerk/gaps): search the catalog for the right matter ------------------------
  function initGapSearch() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-matter-search]"), function (input) {
      var select = document.getElementById(input.getAttribute("data-matter-search"));
      var timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var q = input.value.trim();
          if (!q) return;
          getJson("/api/matters?limit=8&q=" + encodeURIComponent(q)).then(function (data) {
            var keep = Array.prototype.filter.call(select.options, function (o) {
              return o.getAttribute("data-found") !== "1";
            });
            select.innerHTML = "";
            (data.matters || []).forEach(function (m, i) {
              var o = document.createElement("option");
              o.value = m.id;
              o.textContent = m.name + "（" + m.department + "，" + Math.round(m.score * 100) + "%）";
              o.setAttribute("data-found", "1");
              if (i === 0) o.selected = true;
              select.appendChild(o);
            });
            keep.forEach(function (o) {
              o.removeAttribute("selected"); // the server's default pick must not win over the search
              select.appendChild(o);
            });
            if ((data.matters || []).length) select.selectedIndex = 0;
          });
        }, DEBOUNCE_MS);
      });
    });
  }

  // ---- small helpers ---------------------------------------------------------------------------
  function initHelpers() {
    document.addEventListener("click", function (e) {
      var p = e.target.closest && e.target.closest("[data-print]");
      if (p) {
        e.preventDefault();
        window.print();
      }
    });
    document.addEventListener("submit", function (e) {
      var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
      if (msg && !window.confirm(msg)) e.preventDefault();
      var btn = e.target.querySelector && e.target.querySelector("button[type=submit]");
      if (btn && !e.defaultPrevented) {
        // One click, one record: the button waits for the answer.
        setTimeout(function () {
          btn.disabled = true;
        }, 0);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Transcripts open at their latest messages.
    Array.prototype.forEach.call(document.querySelectorAll(".chat"), function (c) {
      c.scrollTop = c.scrollHeight;
    });
    initHelpers();
    initPanel();
    initGapSearch();
  });
})();
