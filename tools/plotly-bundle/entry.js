'use strict';
// plotly.js with only the trace types the dashboard draws (see dashboard/figures/base.py):
// scatter (always in core), bar, scattergeo and choropleth. A third of the full bundle's
// size, so a browser starts drawing charts sooner.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/scattergeo'),
    require('plotly.js/lib/choropleth'),
]);

module.exports = Plotly;
