// Money fields (data-money): while typing, show the amount as the server will read it
// (eligibility/typed_input.py: 元, 万, 亿, thousands separators, full-width digits).
(function () {
  "use strict";
  var UNITS = { "亿": 100000000, "万": 10000, "": 1 };

  function ascii(text) {
    return text.normalize("NFKC").replace(/\s+/g, "").replace(/^¥/, "");
  }

  function read(text) {
    var value = ascii(text);
    if (value.indexOf(",") >= 0) {
      if (!/^\d{1,3}(,\d{3})+(\.\d+)?(亿|万)?元?$/.test(value)) { return null; }
      value = value.replace(/,/g, "");
    }
    var match = /^(\d+(?:\.\d+)?)(亿|万)?元?$/.exec(value);
    if (!match) { return null; }
    var parts = match[1].split(".");
    var scale = UNITS[match[2] || ""];
    // Work in fen (integers) to keep exact cents.
    var decimals = parts[1] || "";
    var fen = BigInt(parts[0] + decimals.padEnd(Math.max(decimals.length, 2), "0")) * BigInt(scale);
    var shift = Math.max(decimals.length, 2) - 2;
    var divisor = BigInt(10) ** BigInt(shift);
    if (fen % divisor !== BigInt(0)) { return null; }
    fen = fen / divisor;
    var yuan = (fen / BigInt(100)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var cents = (fen % BigInt(100)).toString().padStart(2, "0");
    return "¥" + yuan + "." + cents;
  }

  function echo(input) {
    var out = document.querySelector('[data-echo-for="' + input.id + '"]');
    if (!out) { return; }
    var shown = input.value.trim() ? read(input.value) : "";
    var zh = document.documentElement.lang.indexOf("zh") === 0;
    out.textContent = shown === null ? (zh ? "无法识别，例如：3.2亿、32000万、320,000,000" :
      "Not readable: e.g. 3.2亿, 32000万, 320,000,000") : (shown ? "= " + shown + (zh ? " 元" : "") : "");
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input[data-money]")) { echo(event.target); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-money]").forEach(echo);
  });
}());
