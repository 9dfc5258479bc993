/* Skills Roadmap: the chart card's PNG download, in the browser (no server round trip). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  skillsRoadmap: {
    /* A card's title with its names as links (the server sends "title_parts" with the
       numbers when the title names a region, cluster or programme of its rows), and its
       state: an empty card shrinks and hides its Table, CSV and PNG buttons. */
    cardState: function (payload) {
      var skip = window.dash_clientside.no_update;
      var state = payload && payload.empty ? "chart-state chart-empty" : "chart-state";
      var parts = payload && payload.title_parts;
      if (!parts) {
        return [skip, state];
      }
      var title = parts.map(function (part) {
        if (!part[1]) {
          return part[0];
        }
        return {
          type: "Link",
          namespace: "dash_core_components",
          props: { children: part[0], href: part[1] },
        };
      });
      return [title, state];
    },
    /* Download the card's figure as a PNG with its finding as title, drawn by plotly.js
       from the local assets (map shapes included), never from a CDN. */
    downloadPng: function (clicks, figure, payload) {
      if (!clicks || !figure || !window.Plotly) {
        return window.dash_clientside.no_update;
      }
      var escapeText = function (text) {
        return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      };
      var config = JSON.parse(document.getElementById("_dash-config").textContent);
      var title = (payload && payload.title) || "";
      var words = title.split(" ");
      var lines = [""];
      words.forEach(function (word) {
        var last = lines.length - 1;
        if ((lines[last] + " " + word).length > 95 && lines[last]) {
          lines.push(word);
        } else {
          lines[last] = lines[last] ? lines[last] + " " + word : word;
        }
      });
      var layout = Object.assign({}, figure.layout, {
        // The finding names regions and clusters: escaped, so Plotly shows it as written and
        // never as markup or a link (the server's figures do the same, see chart_text).
        title: { text: lines.map(escapeText).join("<br>"), x: 0.01, xanchor: "left", font: { size: 17 } },
        margin: Object.assign({}, figure.layout.margin, { t: 50 + 22 * lines.length, l: 60, r: 40, b: 60 }),
        width: 1200,
        height: 675,
      });
      window.Plotly.downloadImage(
        {
          data: figure.data,
          layout: layout,
          config: { topojsonURL: config.requests_pathname_prefix + "assets/topojson/" },
        },
        { format: "png", filename: (payload && payload.name) || "chart", width: 1200, height: 675 }
      );
      return String(clicks);
    },
  },
});
