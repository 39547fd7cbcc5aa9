// Draws the figures that indicators.report.render.to_html_div() leaves in a page.
//
// The site's Content-Security-Policy allows scripts only from its own origin and runs no inline code,
// so a figure travels as data: <div class="qorgau-plot" data-figure="ID"> and, beside it,
// <script type="application/json" id="ID"> with plotly's JSON, which the browser never executes.
// This file and plotly.min.js (served from the installed plotly package) do the drawing.
(function () {
  "use strict";

  // Plotly's geo subplot downloads a world base map from its CDN whenever a choropleth is drawn, even
  // with every base layer hidden. The policy forbids that request and our maps draw only the regions'
  // own GeoJSON, so an empty topology is put where plotly.js looks for offline assets.
  var assets = (window.PlotlyGeoAssets = window.PlotlyGeoAssets || {});
  assets.topojson = assets.topojson || {};
  ["world_110m", "world_50m"].forEach(function (name) {
    if (!assets.topojson[name]) {
      assets.topojson[name] = { type: "Topology", objects: {}, arcs: [] };
    }
  });

  function draw(root) {
    if (!window.Plotly) {
      return;
    }
    root.querySelectorAll("div.qorgau-plot[data-figure]:not([data-drawn])").forEach(function (div) {
      var source = document.getElementById(div.getAttribute("data-figure"));
      if (!source) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      div.setAttribute("data-drawn", "");
      // No mode bar: plotly.js styles it with a per-figure inline <style>, which the policy blocks.
      // The pages offer the PNG and SVG downloads rendered by the server instead.
      window.Plotly.newPlot(div, figure.data, figure.layout, { responsive: true, displayModeBar: false });
    });
  }

  window.qorgauPlots = { draw: draw };
  document.addEventListener("DOMContentLoaded", function () {
    draw(document);
    // Fragments swapped in by HTMX bring their own figures.
    document.body.addEventListener("htmx:afterSettle", function (event) {
      draw(event.target);
    });
  });
})();
